// Registry mirrors from the environment: BOXLAB_REGISTRY_MIRRORS (comma separated), tried before the
// mirrors of the engine's configuration (its daemon.json "registry-mirrors" or --registry-mirror, read by
// src/engine/config/engine-config.ts). Tests and sandboxes use it to point an engine at a local mirror
// without writing a file.

export function mirrorsFromEnv(env: NodeJS.ProcessEnv = process.env): string[] {
  return (env.BOXLAB_REGISTRY_MIRRORS ?? '').split(',').map((s) => s.trim()).filter(Boolean);
}
