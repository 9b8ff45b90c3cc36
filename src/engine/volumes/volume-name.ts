// Docker's rule for local volume names, and its error text for names that are not valid (typically a
// relative host path given to -v, which Docker then reads as a volume name).
import { invalidArgument } from '../../core/errors.js';

export const VOLUME_NAME_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

export function validateVolumeName(name: string): void {
  if (!VOLUME_NAME_PATTERN.test(name)) {
    throw invalidArgument(
      `create ${name}: "${name}" includes invalid characters for a local volume name, only "[a-zA-Z0-9][a-zA-Z0-9_.-]" are allowed. If you intended to pass a host directory, use absolute path`,
    );
  }
}
