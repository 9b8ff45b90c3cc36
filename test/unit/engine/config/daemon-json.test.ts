import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DaemonFileError, lineOfKey, parseDaemonJson } from '../../../../src/engine/config/daemon-json.js';
import { REPO_ROOT } from '../../../helpers/repo-paths.js';

const fixture = (name: string) => readFileSync(path.join(REPO_ROOT, 'test/fixtures/daemon-json', name), 'utf8');

/** the DaemonFileError parseDaemonJson throws for a text */
function errorOf(text: string): DaemonFileError {
  try {
    parseDaemonJson(text);
  } catch (err) {
    assert.ok(err instanceof DaemonFileError, String(err));
    return err;
  }
  assert.fail(`no error for ${text}`);
}

describe('daemon.json: reading the file', () => {
  it("reads the notes' registry and log keys into typed settings", () => {
    assert.deepEqual(parseDaemonJson(fixture('notes-registry-logs.json')), {
      'registry-mirrors': ['http://127.0.0.1:5999', 'https://mirror.example.com'],
      'insecure-registries': ['myreg.local:5000', '10.99.0.0/16'],
      'log-driver': 'json-file',
      'log-opts': { 'max-size': '10k', 'max-file': '3' },
      debug: true,
      'default-ulimits': { nofile: { Name: 'nofile', Hard: 2048, Soft: 1024 } },
    });
  });

  it("reads the remote-access keys (hosts, tls*, bip, data-root)", () => {
    const s = parseDaemonJson(fixture('notes-remote-tls.json'));
    assert.deepEqual(s.hosts, ['unix:///var/run/docker.sock', 'tcp://0.0.0.0:2376']);
    assert.equal(s.tlsverify, true);
    assert.equal(s.tlscert, '/etc/docker/certs/server-cert.pem');
    assert.equal(s.bip, '192.168.200.1/24');
    assert.equal(s['data-root'], '/mnt/docker-data');
  });

  it("names unknown keys in dockerd's sentence, each with its line and the nearest known key", () => {
    const err = errorOf('{\n  "debugg": true,\n  "registry-mirror": ["http://x"],\n  "colour": "blue"\n}');
    assert.equal(err.message, "the following directives don't match any configuration option: colour, debugg, registry-mirror");
    assert.deepEqual(err.hints.slice(1), ['"debugg" (line 2): did you mean "debug"?', '"registry-mirror" (line 3): did you mean "registry-mirrors"?']);
    assert.match(err.hints[0], /^"colour" \(line 4\): remove it; boxlab reads registry-mirrors, /);
  });

  it('refuses a dockerd setting boxlab does not implement, saying so; accepts one that says what boxlab always does', () => {
    const err = errorOf('{"debug": false,\n "userns-remap": "default"}');
    assert.equal(err.message, '"userns-remap" is a dockerd setting boxlab does not implement');
    assert.equal(err.line, 2);
    assert.deepEqual(parseDaemonJson('{"storage-driver": "overlay2", "live-restore": true}'), {});
    assert.match(errorOf('{"live-restore": false}').message, /"live-restore": boxlab always runs with true; found false/);
  });

  it('says what type a value must have and what it found, with the line', () => {
    const debug = errorOf('{\n"debug": "yes"}');
    assert.equal(debug.message, '"debug" must be true or false; found the string "yes"');
    assert.equal(debug.line, 2);
    assert.equal(errorOf('{"mtu": "1400"}').message, '"mtu" must be a whole number without quotes, such as 1400; found the string "1400"');
    assert.equal(errorOf('{"mtu": 1400.5}').message, '"mtu" must be a whole number without quotes, such as 1400; found number 1400.5');
    assert.equal(errorOf('{"icc": "no"}').message, '"icc" must be true or false; found the string "no"');
    assert.equal(errorOf('{"labels": "a=b"}').message, '"labels" must be a list of strings, such as ["a", "b"]; found the string "a=b"');
    assert.equal(errorOf('{"log-opts": {"max-size": 5}}').message, '"log-opts": the value of "max-size" must be a string in quotes; found number 5');
    assert.deepEqual(errorOf('{"log-opts": {"max-size": 5}}').hints, ['write "max-size": "5"']);
    assert.match(errorOf('{"registry-mirrors": "http://x"}').message, /^"registry-mirrors" must be a list of strings, such as \["a", "b"\]; found the string "http:\/\/x"$/);
    assert.match(errorOf('{"default-ulimits": {"nofile": "1024:2048"}}').message, /^"default-ulimits.nofile" must be an object such as \{"nofile": \{"Name": "nofile", "Soft": 1024, "Hard": 2048\}\}/);
  });

  it("passes JSON's own syntax error on, and wants one object", () => {
    const syntax = errorOf('{\n  "debug": true,\n}');
    assert.match(syntax.message, /^invalid JSON: .* in JSON at position 19$/);
    assert.equal(syntax.line, 3);
    assert.equal(errorOf('["debug"]').message, 'expected one JSON object, such as {"debug": true}; found array');
  });

  it('finds the line of a key', () => {
    assert.equal(lineOfKey('{\n  "a": 1,\n  "b": {"c": 2}\n}', 'b'), 3);
    assert.equal(lineOfKey('{}', 'b'), undefined);
  });
});
