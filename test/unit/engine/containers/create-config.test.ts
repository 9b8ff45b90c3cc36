import assert from 'node:assert/strict';
import { checkCreate, validateName } from '../../../../src/engine/containers/create-config.js';

describe('create checks', () => {
  it('validates names as Docker does', () => {
    assert.equal(validateName('web'), '/web');
    assert.equal(validateName('/web.1_a-b'), '/web.1_a-b');
    assert.throws(() => validateName('-bad'), { code: 'INVALID_ARGUMENT', message: 'Invalid container name (-bad), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed' });
  });

  it('refuses what Docker refuses', () => {
    assert.throws(() => checkCreate({ Image: 'busybox' }, []), /No command specified/);
    assert.throws(() => checkCreate({ Image: 'b', HostConfig: { AutoRemove: true, RestartPolicy: { Name: 'always' } } }, ['true']), /conflicting options: cannot specify both --restart and --rm/);
    assert.throws(() => checkCreate({ Image: 'b', HostConfig: { RestartPolicy: { Name: 'always', MaximumRetryCount: 2 } } }, ['true']), /maximum retry count cannot be used with restart policy 'always'/);
  });

  it('warns about what is accepted but not done yet', () => {
    assert.deepEqual(checkCreate({ Image: 'b' }, ['true']).warnings, []);
    // published ports are done by the network plane now (issue 3): no warning any more
    assert.deepEqual(checkCreate({ Image: 'b', HostConfig: { PortBindings: { '80/tcp': [{ HostPort: '8080' }] } } }, ['true']).warnings, []);
  });
});
