// The body of POST /volumes/create (`docker volume create`), decoded into a typed value with dockerd's
// words for a value of the wrong JSON type (its Go type is volume.VolumeCreateBody).
import { decodeBody, map, string, struct } from './go-json.js';

export interface VolumeCreateBody {
  Name?: string;
  Driver?: string;
  DriverOpts?: Record<string, string>;
  Labels?: Record<string, string>;
}

const stringMap = map(string, 'map[string]string');

const volumeCreate = struct<VolumeCreateBody>('VolumeCreateBody', 'volume.VolumeCreateBody', {
  Name: string,
  Driver: string,
  DriverOpts: stringMap,
  Labels: stringMap,
});

export function parseVolumeCreate(json: unknown): VolumeCreateBody {
  return decodeBody(json, volumeCreate, 'volume.VolumeCreateBody') ?? {};
}
