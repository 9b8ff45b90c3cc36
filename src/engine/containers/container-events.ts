// Docker's container events (`docker events`: create, start, die, ...) as the lifecycle notifies them,
// typed, at the step each one names: a start is notified by every start of a process (docker start,
// docker restart, a restart by restart policy), a die by every exit. The API's events hub
// (api/docker-events.ts) turns them into Docker's JSON; nothing else decides when a container event happens.
import { EventEmitter } from 'node:events';
import type { ContainerRecord } from './container-record.js';
import type { HealthStatus } from './health-state.js';

export const CONTAINER_ACTIONS = ['create', 'start', 'die', 'kill', 'stop', 'restart', 'pause', 'unpause', 'rename', 'destroy', 'update', 'export'] as const;
/**
 * the lifecycle's actions, and those that carry their subject in the action itself as dockerd writes them:
 * an exec's command ("exec_create: /bin/sh -c true", also for health probes) and a new health status
 * ("health_status: healthy"); exec_die carries execID and exitCode as attributes
 */
export type ContainerAction =
  | (typeof CONTAINER_ACTIONS)[number]
  | `exec_create: ${string}`
  | `exec_start: ${string}`
  | 'exec_die'
  | `health_status: ${HealthStatus}`;

export interface ContainerEvent {
  action: ContainerAction;
  id: string;
  /** without the leading slash, as docker events prints it */
  name: string;
  /** the image as the create named it */
  image: string;
  /** the container's labels (Config.Labels): dockerd copies them into every event's attributes */
  labels: Record<string, string>;
  /** Docker's extra attributes: exitCode for die, signal for kill */
  attributes: Record<string, string>;
}

export type ContainerEventListener = (event: ContainerEvent) => void;

export class ContainerEvents {
  private readonly emitter = new EventEmitter().setMaxListeners(0);

  notify(action: ContainerAction, record: ContainerRecord, attributes: Record<string, string> = {}): void {
    const event: ContainerEvent = { action, id: record.Id, name: record.Name.replace(/^\//, ''), image: record.Config.Image ?? record.ImageRef, labels: record.Config.Labels ?? {}, attributes };
    this.emitter.emit('event', event);
  }

  subscribe(listener: ContainerEventListener): () => void {
    this.emitter.on('event', listener);
    return () => this.emitter.off('event', listener);
  }
}
