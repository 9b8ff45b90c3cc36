import assert from 'node:assert/strict';
import { checkLogConfig, DEFAULT_MAX_FILE, DEFAULT_MAX_SIZE, humanSizeBytes, logPolicy, normalizeLogConfig } from '../../../../src/engine/containers/log-config.js';

const withLog = (Type: string | undefined, Config: Record<string, string> = {}) => ({ LogConfig: { Type, Config } });

describe('log config (--log-driver, --log-opt)', () => {
  it('reads sizes as go-units FromHumanSize does (decimal units, dockerd json-file)', () => {
    assert.equal(humanSizeBytes('10k'), 10_000);
    assert.equal(humanSizeBytes('1m'), 1_000_000);
    assert.equal(humanSizeBytes('1g'), 1_000_000_000);
    assert.equal(humanSizeBytes('1.5M'), 1_500_000);
    assert.equal(humanSizeBytes('512'), 512);
    assert.equal(humanSizeBytes('10 KB'), 10_000);
    assert.equal(humanSizeBytes('2kib'), 2000);
    for (const bad of ['', 'ten', '10x', '-1k', '1.2.3k'])
      assert.throws(() => humanSizeBytes(bad), (e: Error) => e.message === `invalid size: '${bad}'`, bad);
  });

  it('caps a log that sets no max-size at the engine default, unlike dockerd (unlimited)', () => {
    assert.deepEqual(logPolicy({}), { driver: 'json-file', maxSize: DEFAULT_MAX_SIZE, maxFile: DEFAULT_MAX_FILE });
    assert.deepEqual(logPolicy(withLog('', {})), { driver: 'json-file', maxSize: 10 * 1024 * 1024, maxFile: 3 });
    assert.deepEqual(logPolicy(withLog('json-file', { 'max-file': '5' })), { driver: 'json-file', maxSize: DEFAULT_MAX_SIZE, maxFile: 5 });
  });

  it('takes max-size and max-file as dockerd does: max-size alone keeps one file', () => {
    assert.deepEqual(logPolicy(withLog('json-file', { 'max-size': '10k', 'max-file': '3' })), { driver: 'json-file', maxSize: 10_000, maxFile: 3 });
    assert.deepEqual(logPolicy(withLog('json-file', { 'max-size': '1m' })), { driver: 'json-file', maxSize: 1_000_000, maxFile: 1 });
    assert.deepEqual(logPolicy(withLog('none')), { driver: 'none', maxSize: 0, maxFile: 0 });
  });

  it("refuses at create what dockerd refuses at create: driver and option names", () => {
    const refused = (h: object, message: string) => assert.throws(() => checkLogConfig(h), (e: Error) => e.message === message, message);
    refused(withLog('foo'), 'error looking up logging plugin foo: plugin "foo" not found');
    refused(withLog('syslog'), "log driver 'syslog' is not supported by boxlab");
    refused(withLog('json-file', { 'max-bytes': '1' }), "unknown log opt 'max-bytes' for json-file log driver");
    refused(withLog('none', { 'max-size': '1k' }), "unknown log opt 'max-size' for none log driver");
    checkLogConfig(withLog('json-file', { 'max-size': 'lots' }));
  });

  it("refuses at start the values dockerd's json-file driver refuses, in its words", () => {
    const refused = (h: object, message: string) =>
      assert.throws(() => logPolicy(h), (e: Error) => e.message === `failed to initialize logging driver: ${message}`, message);
    refused(withLog('json-file', { 'max-size': 'lots' }), "invalid size: 'lots'");
    refused(withLog('json-file', { 'max-size': '0' }), 'max-size must be a positive number');
    refused(withLog('json-file', { 'max-size': '1k', 'max-file': '0' }), 'max-file cannot be less than 1');
    refused(withLog('json-file', { 'max-size': '1k', 'max-file': 'x' }), 'strconv.Atoi: parsing "x": invalid syntax');
    refused(withLog('json-file', { 'max-size': '1k', compress: 'true' }), 'compress cannot be true when max-file is less than 2 or max-size is not set');
  });

  it('stores an empty Type as json-file, as docker inspect shows it', () => {
    assert.deepEqual(normalizeLogConfig({}), { Type: 'json-file', Config: {} });
    assert.deepEqual(normalizeLogConfig(withLog('', { 'max-size': '10k' })), { Type: 'json-file', Config: { 'max-size': '10k' } });
    assert.deepEqual(normalizeLogConfig(withLog('none')), { Type: 'none', Config: {} });
  });
});
