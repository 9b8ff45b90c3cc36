// The /etc/hosts block that names a multipass lab network's vms to each other: rendered from the
// peers, and replaced (never appended twice) when boxlab joins the network again.
import assert from 'node:assert/strict';
import { HOSTS_BEGIN, HOSTS_END, renderHostsBlock, replaceHostsBlock } from '../../../../../src/vm/providers/multipass/lab-hosts-block.js';

const UBUNTU_HOSTS = '127.0.0.1 localhost\n127.0.1.1 n1\n\n::1 ip6-localhost ip6-loopback\n';

describe('lab network /etc/hosts block (multipass)', () => {
  it('names every peer with its address, sorted, between the markers', () => {
    const block = renderHostsBlock('labnet', { n2: '10.76.13.6', n1: '10.76.13.5' });
    assert.equal(block, `${HOSTS_BEGIN}\n# network labnet\n10.76.13.5      n1\n10.76.13.6      n2\n${HOSTS_END}\n`);
  });

  it('appends the block after the image own lines, keeping them', () => {
    const text = replaceHostsBlock(UBUNTU_HOSTS, renderHostsBlock('labnet', { n1: '10.76.13.5', n2: '10.76.13.6' }));
    assert.ok(text.startsWith(UBUNTU_HOSTS));
    assert.match(text, /^10\.76\.13\.6 +n2$/m);
  });

  it('replaces an old block (new addresses) instead of adding a second one, wherever it sits', () => {
    const old = replaceHostsBlock(UBUNTU_HOSTS, renderHostsBlock('labnet', { n1: '10.76.13.5', n2: '10.76.13.6' })) + '10.0.0.9 mine\n';
    const text = replaceHostsBlock(old, renderHostsBlock('labnet', { n1: '10.76.13.5', n2: '10.76.13.9' }));
    assert.equal(text.split(HOSTS_BEGIN).length, 2, 'one block');
    assert.doesNotMatch(text, /10\.76\.13\.6/);
    assert.match(text, /^10\.76\.13\.9 +n2$/m);
    assert.match(text, /^10\.0\.0\.9 mine$/m, "the user's own lines stay");
    assert.equal(replaceHostsBlock(text, renderHostsBlock('labnet', { n1: '10.76.13.5', n2: '10.76.13.9' })), text, 'joining twice changes nothing');
  });

  it('adds a newline to a hosts file without one, and refuses an address that is not one', () => {
    assert.match(replaceHostsBlock('127.0.0.1 localhost', renderHostsBlock('l', { a: '10.0.0.1' })), /^127\.0\.0\.1 localhost\n# boxlab/);
    assert.throws(() => renderHostsBlock('labnet', { n1: '10.0.0.1\n0.0.0.0 evil' }), /lab network "labnet": cannot write/);
  });
});
