import assert from 'node:assert/strict';
import { defaultRouteIndex, takesDefaultRoute } from '../../../../src/engine/network/default-route.js';

describe('default route: which network gives a container its gateway (as dockerd 20.10 does)', () => {
  const internal = { Internal: true };
  const normal = { Internal: false };

  it('run/start: the first network that is not --internal, else the first one', () => {
    assert.equal(defaultRouteIndex([normal, internal]), 0);
    assert.equal(defaultRouteIndex([internal, normal]), 1);
    assert.equal(defaultRouteIndex([internal, internal]), 0);
    assert.equal(defaultRouteIndex([{}]), 0);
  });

  it('connect: a normal network takes the route over from internal ones only; an internal one never takes it', () => {
    assert.equal(takesDefaultRoute(normal, [internal]), true);
    assert.equal(takesDefaultRoute(normal, [normal]), false);
    assert.equal(takesDefaultRoute(normal, [internal, normal]), false);
    assert.equal(takesDefaultRoute(internal, [internal]), false);
    assert.equal(takesDefaultRoute(normal, []), false);
  });
});
