// The provider contract on `local` (this host, no VM boundary), for real.
import { LocalProvider } from '../../../src/vm/providers/local/local-provider.js';
import { requires } from '../../helpers/requires.js';
import { vmProviderContract } from '../../unit/vm/vm-provider-contract.js';

describe('local provider', function () {
  before(function () {
    requires(this, 'root');
  });
  vmProviderContract({ provider: 'local', name: 'boxlab-vm-local1', make: () => new LocalProvider({ warn: null }) });
});
