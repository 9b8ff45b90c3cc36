import assert from 'node:assert/strict';
import { applyContainerDefaults } from '../../../../src/engine/containers/container-defaults.js';

const engine = { logConfig: { Type: 'json-file', Config: { 'max-size': '10k', 'max-file': '3' } }, ulimits: [{ Name: 'nofile', Soft: 1024, Hard: 2048 }] };

describe("the engine's defaults for a new container (as dockerd 20.10 showed them in docker inspect)", () => {
  it('fills the log driver and its options, and the default ulimits, when the request sets none', () => {
    assert.deepEqual(applyContainerDefaults({}, engine), {
      LogConfig: { Type: 'json-file', Config: { 'max-size': '10k', 'max-file': '3' } },
      Ulimits: [{ Name: 'nofile', Soft: 1024, Hard: 2048 }],
    });
  });

  it("keeps the request's own options and ulimits over the engine's", () => {
    const h = applyContainerDefaults({ LogConfig: { Type: '', Config: { 'max-file': '5' } }, Ulimits: [{ Name: 'nofile', Soft: 500, Hard: 600 }] }, engine);
    assert.deepEqual(h.LogConfig, { Type: 'json-file', Config: { 'max-size': '10k', 'max-file': '5' } });
    assert.deepEqual(h.Ulimits, [{ Name: 'nofile', Soft: 500, Hard: 600 }]);
  });

  it("takes no engine option for another driver (--log-driver none), and changes nothing without defaults", () => {
    assert.deepEqual(applyContainerDefaults({ LogConfig: { Type: 'none' } }, engine).LogConfig, { Type: 'none', Config: {} });
    assert.deepEqual(applyContainerDefaults({ Memory: 5 }), { Memory: 5 });
  });
});
