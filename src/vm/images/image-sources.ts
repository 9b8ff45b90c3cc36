// Where the QEMU image's inputs are on this host: the boxlab checkout or install this code runs from, its
// recipe folders (vm-images/qemu, vm-images/qemu-docker) and the node binary copied into the guest.
import path from 'node:path';
import { PACKAGE_ROOT } from '../../core/package-root.js';

/** the boxlab checkout or install this code runs from */
export const BOXLAB_ROOT = PACKAGE_ROOT;
export const RECIPE_DIR = path.join(BOXLAB_ROOT, 'vm-images', 'qemu');
/** the docker variant's hook and module list (a folder of its own: the boxlabd image does not hash it) */
export const DOCKER_VARIANT_DIR = path.join(BOXLAB_ROOT, 'vm-images', 'qemu-docker');
/** the node binary the recipe copies into the guest (defaultQemuRecipe) */
export const GUEST_NODE = '/usr/bin/node';
