// The resource fields of a HostConfig (Docker's container.Resources: memory, CPU, pids, block I/O,
// ulimits, devices), decoded with dockerd's words for a value of the wrong type. Go embeds Resources in
// both container.HostConfig (the create body) and container.UpdateConfig (`docker update`), so both
// schemas spread these same field decoders into their struct.
import type { Resources } from '../../docker-model.js';
import { bool, integer, list, string, struct } from './go-json.js';

const int64 = integer('int64');
const uint16 = integer('uint16');
const uint64 = integer('uint64');

const throttleDevices = list(struct('ThrottleDevice', 'blkiodev.ThrottleDevice', { Path: string, Rate: uint64 }), '[]*blkiodev.ThrottleDevice');

export const resourceFields = {
  CpuShares: int64,
  Memory: int64,
  NanoCpus: int64,
  CpuPeriod: int64,
  CpuQuota: int64,
  CpusetCpus: string,
  CpusetMems: string,
  MemoryReservation: int64,
  MemorySwap: int64,
  MemorySwappiness: int64,
  OomKillDisable: bool,
  PidsLimit: int64,
  KernelMemory: int64,
  BlkioWeight: uint16,
  BlkioWeightDevice: list(struct('WeightDevice', 'blkiodev.WeightDevice', { Path: string, Weight: uint16 }), '[]*blkiodev.WeightDevice'),
  BlkioDeviceReadBps: throttleDevices,
  BlkioDeviceWriteBps: throttleDevices,
  BlkioDeviceReadIOps: throttleDevices,
  BlkioDeviceWriteIOps: throttleDevices,
  Ulimits: list(struct('Ulimit', 'units.Ulimit', { Name: string, Soft: int64, Hard: int64 }), '[]*units.Ulimit'),
  Devices: list(
    struct('DeviceMapping', 'container.DeviceMapping', { PathOnHost: string, PathInContainer: string, CgroupPermissions: string }),
    '[]container.DeviceMapping',
  ),
} satisfies { [K in keyof Resources]-?: unknown };
