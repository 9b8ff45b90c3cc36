import assert from 'node:assert/strict';
import { formatBytes, loadingBar } from '../../../../src/engine/images/image-load.js';

describe('docker load progress (the lines dockerd sends)', () => {
  // sizes as `docker load` prints them for the same layers (go-units HumanSize: decimal, 4 significant digits)
  const cases: Array<[number, string]> = [
    [0, '0B'],
    [999, '999B'],
    [1000, '1.00kB'],
    [4_493_312, '4.493MB'],
    [1_234_567_890, '1.235GB'],
  ];
  for (const [n, want] of cases) it(`writes ${n} bytes as ${want}`, () => assert.equal(formatBytes(n), want));

  it('draws an empty bar before a layer is read and a full one after', () => {
    assert.equal(loadingBar(4_493_312, false), '[>                                                  ]  0B/4.493MB');
    assert.equal(loadingBar(4_493_312, true), '[==================================================>]  4.493MB/4.493MB');
  });
});
