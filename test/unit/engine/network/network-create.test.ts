// The pure parts of docker network create: which subnets are taken (recorded `ip -4 -j route show`), and
// which one a new network gets.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { chooseSubnet, hostRouteSubnets } from '../../../../src/engine/network/network-create.js';
import { REPO_ROOT } from '../../../helpers/repo-paths.js';

// recorded on the CI host (Debian 12): the default route, a dockerd bridge, two bridges of test engines
const ROUTES = readFileSync(path.join(REPO_ROOT, 'test/fixtures/outputs/network/ip-4-j-route-show.json'), 'utf8');

describe('network create: subnets', () => {
  it("takes the host's routes as used subnets, but not the default route nor boxlab's own bridges", () => {
    assert.deepEqual(hostRouteSubnets(ROUTES, new Set(['bxlbd3937'])), [
      { subnet: '10.199.0.0/24', what: 'a host route on br-1ab34f8d0d38' },
      { subnet: '10.211.127.0/24', what: 'a host route on bxl864c3c' },
    ]);
    assert.deepEqual(hostRouteSubnets('[{"dst":"192.0.2.7","dev":"eth0"},{"dst":"10.0.0.0/4","dev":"x"}]', new Set()), [{ subnet: '192.0.2.7/32', what: 'a host route on eth0' }]);
    assert.deepEqual(hostRouteSubnets('Object "route" is unknown', new Set()), [], 'no JSON: only the networks are checked');
  });

  it("--subnet must overlap nothing (Docker's words); without it, the first free subnet of Docker's pool", () => {
    const used = [{ subnet: '172.18.0.0/16', what: 'network a' }, { subnet: '172.19.5.0/24', what: 'a host route on eth1' }];
    assert.equal(chooseSubnet(undefined, used), '172.20.0.0/16');
    assert.equal(chooseSubnet('10.9.0.0/24', used), '10.9.0.0/24');
    assert.throws(() => chooseSubnet('172.19.0.0/16', used), {
      code: 'INVALID_ARGUMENT',
      message: 'invalid pool request: Pool overlaps with other one on this address space: 172.19.0.0/16 overlaps a host route on eth1 (172.19.5.0/24)',
    });
  });
});
