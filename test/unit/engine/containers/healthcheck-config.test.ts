// Config.Healthcheck at create: dockerd's merge of `docker run --health-*` with the image's HEALTHCHECK,
// its refusals, and the probe the engine runs (command, defaults). Expected merges recorded from Debian's
// dockerd 20.10 (`docker inspect -f '{{json .Config.Healthcheck}}'`).
import assert from 'node:assert/strict';
import { checkHealthcheck, compactHealthcheck, mergeHealthcheck, probeSettings } from '../../../../src/engine/containers/healthcheck-config.js';

const image = { Test: ['CMD-SHELL', 'wget -q -O- http://localhost/ || exit 1'], Interval: 5e9, Timeout: 3e9, Retries: 2 };

describe('healthcheck config', () => {
  const merges: Array<[string, Parameters<typeof mergeHealthcheck>[0], Parameters<typeof mergeHealthcheck>[1], unknown]> = [
    ['no request: the image\'s', undefined, image, image],
    ['no image: the request\'s', { Test: ['CMD-SHELL', 'true'], Interval: 1e9 }, undefined, { Test: ['CMD-SHELL', 'true'], Interval: 1e9 }],
    ['neither: none', undefined, undefined, undefined],
    ['--health-interval 2s alone keeps the image\'s command and the rest', { Interval: 2e9 }, image, { ...image, Interval: 2e9 }],
    ['--no-healthcheck keeps the image\'s durations next to NONE', { Test: ['NONE'] }, image, { Test: ['NONE'], Interval: 5e9, Timeout: 3e9, Retries: 2 }],
    ['--health-cmd over the image keeps its durations', { Test: ['CMD-SHELL', 'true'], Retries: 5 }, image, { Test: ['CMD-SHELL', 'true'], Interval: 5e9, Timeout: 3e9, Retries: 5 }],
  ];
  for (const [name, request, img, expected] of merges) {
    it(`merge: ${name}`, () => assert.deepEqual(mergeHealthcheck(request, img), expected));
  }

  it('merge does not change the image config', () => {
    const img = structuredClone(image);
    mergeHealthcheck({ Interval: 1e9 }, img);
    assert.deepEqual(img, image);
  });

  it('drops the zero fields, as Go\'s omitempty does', () => {
    assert.deepEqual(compactHealthcheck({ Test: ['CMD', 'true'], Interval: 0, Timeout: 0, StartPeriod: 2e9, Retries: 0 }), { Test: ['CMD', 'true'], StartPeriod: 2e9 });
  });

  it('refuses what dockerd refuses, in its words', () => {
    assert.throws(() => checkHealthcheck({ Interval: 500e3 }), /^AppError: Interval in Healthcheck cannot be less than 1ms$/);
    assert.throws(() => checkHealthcheck({ Timeout: 1 }), /Timeout in Healthcheck cannot be less than 1ms/);
    assert.throws(() => checkHealthcheck({ StartPeriod: 10 }), /StartPeriod in Healthcheck cannot be less than 1ms/);
    assert.throws(() => checkHealthcheck({ Retries: -1 }), /Retries in Healthcheck cannot be negative/);
    checkHealthcheck({ Interval: 1e6, Timeout: 0, Retries: 0 });
    checkHealthcheck(undefined);
  });

  it('probe: CMD as is, CMD-SHELL through the container\'s shell, dockerd\'s defaults', () => {
    assert.deepEqual(probeSettings({ Test: ['CMD', 'cat', '/ok'] }, undefined), {
      command: ['cat', '/ok'], intervalMs: 30_000, timeoutMs: 30_000, startPeriodMs: 0, retries: 3, timeoutText: '30s',
    });
    const s = probeSettings({ Test: ['CMD-SHELL', 'echo hi; exit 0'], Interval: 1e9, Timeout: 1500e6, StartPeriod: 4e9, Retries: 2 }, ['/bin/bash', '-c']);
    assert.deepEqual(s, { command: ['/bin/bash', '-c', 'echo hi; exit 0'], intervalMs: 1000, timeoutMs: 1500, startPeriodMs: 4000, retries: 2, timeoutText: '1.5s' });
    assert.deepEqual(probeSettings({ Test: ['CMD-SHELL', 'true'] }, null)?.command, ['/bin/sh', '-c', 'true']);
  });

  it('no probe for none, NONE, an empty test or an unknown type', () => {
    for (const hc of [undefined, {}, { Test: [] }, { Test: ['NONE'] }, { Test: ['HTTP', 'x'] }, { Test: ['CMD'] }]) assert.equal(probeSettings(hc, undefined), undefined);
  });
});
