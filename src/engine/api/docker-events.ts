// The /events stream: Docker's "system events" (`docker events`). Container events come from the
// container service's typed lifecycle notifications (containers/container-events.ts: every start, the
// restarts by restart policy included, every die, destroy, ...); the API records the image, volume and
// network actions it performs itself. Subscribers get each event as one JSON object.
// Like dockerd, the hub keeps the last EVENT_BUFFER_SIZE events in memory, so `docker events --since`
// can replay the recent past; an engine restart empties it, as it does dockerd's.
import { EventEmitter } from 'node:events';
import type { ContainerEvent, ContainerEventListener } from '../containers/container-events.js';
import { matchKVList } from '../images/image-filters.js';

export interface DockerEvent {
  Type: 'container' | 'image' | 'volume' | 'network';
  Action: string;
  Actor: { ID: string; Attributes: Record<string, string> };
  scope: 'local';
  time: number;
  timeNano: number;
  /** the pre-1.22 fields, still sent by Docker */
  status?: string;
  id?: string;
  from?: string;
}

/** dockerd's ring buffer size (daemon/events: eventsLimit) */
export const EVENT_BUFFER_SIZE = 256;

export class EventHub {
  private readonly emitter = new EventEmitter();
  private readonly recent: DockerEvent[] = [];
  /** container id -> name, so events the API publishes with an id only (exec_create, commit) carry the name too */
  private readonly names = new Map<string, string>();

  constructor() {
    this.emitter.setMaxListeners(0);
  }

  publish(type: DockerEvent['Type'], action: string, id: string, given: Record<string, string> = {}): void {
    const attributes = { ...given };
    if (type === 'container') {
      if (attributes.name) this.names.set(id, attributes.name);
      else if (this.names.has(id)) attributes.name = this.names.get(id)!;
      if (action === 'destroy') this.names.delete(id);
    }
    const nowMs = Date.now();
    const event: DockerEvent = {
      Type: type,
      Action: action,
      Actor: { ID: id, Attributes: attributes },
      scope: 'local',
      time: Math.floor(nowMs / 1000),
      timeNano: nowMs * 1_000_000,
    };
    if (type === 'container') Object.assign(event, { status: action, id, from: attributes.image ?? '' });
    this.recent.push(event);
    if (this.recent.length > EVENT_BUFFER_SIZE) this.recent.shift();
    this.emitter.emit('event', event);
  }

  /** the kept events inside [since, until] (unix seconds, until 0 = no end), oldest first */
  past(since: number, until = 0): DockerEvent[] {
    return eventsInWindow(this.recent, since, until);
  }

  subscribe(listener: (event: DockerEvent) => void): () => void {
    this.emitter.on('event', listener);
    return () => this.emitter.off('event', listener);
  }
}

/** the hub publishes every container event the lifecycle notifies; returns the unsubscribe */
export function publishContainerEvents(hub: EventHub, source: { subscribeEvents(listener: ContainerEventListener): () => void }): () => void {
  return source.subscribeEvents((e) => hub.publish('container', e.action, e.id, containerAttributes(e)));
}

/**
 * Docker's attributes of a container event (daemon.LogContainerEventWithAttributes): the container's labels,
 * then its name and image, then the action's own (exitCode, signal). Compose reads its project and service
 * from these labels (com.docker.compose.project) and filters on them.
 */
export function containerAttributes(e: ContainerEvent): Record<string, string> {
  return { ...e.labels, name: e.name, ...(e.image ? { image: e.image } : {}), ...e.attributes };
}

/** does an event pass Docker's filters (type, event/action, container, image, label)? */
export function eventMatches(event: DockerEvent, filters: Record<string, string[]>): boolean {
  const check = (key: string, value: string | undefined) =>
    !filters[key] || filters[key].length === 0 || (value !== undefined && filters[key].includes(value));
  const name = event.Actor.Attributes.name;
  return (
    check('type', event.Type) &&
    matchesAction(event.Action, filters.event) &&
    // dockerd's fuzzyMatchName: a prefix of the id or of the name attribute, whatever the event's type
    (!filters.container || filters.container.length === 0 || filters.container.some((c) => event.Actor.ID.startsWith(c) || (name ?? '').startsWith(c))) &&
    check('image', event.Type === 'image' ? event.Actor.ID : event.Actor.Attributes.image) &&
    // dockerd's matchLabels: label=key and label=key=value against all of the event's attributes
    matchKVList(filters.label, event.Actor.Attributes)
  );
}

/** actions that carry their subject ("health_status: healthy", "exec_create: sh -c true") */
const PREFIX_ACTIONS = ['health_status', 'exec_create', 'exec_start'];

/**
 * dockerd's event filter (daemon/events/filter.go): exact, except that once one of the wanted events is
 * health_status, exec_create or exec_start without its subject, every wanted event matches as a prefix
 * (`--filter event=health_status` shows "health_status: healthy")
 */
export function matchesAction(action: string, wanted: string[] | undefined): boolean {
  if (!wanted || wanted.length === 0) return true;
  if (wanted.includes(action)) return true;
  return wanted.some((w) => PREFIX_ACTIONS.includes(w)) && wanted.some((w) => action.startsWith(w));
}

/** dockerd's window for buffered events: since <= time <= until, compared in nanoseconds; until 0 = no end */
export function eventsInWindow(events: readonly DockerEvent[], since: number, until = 0): DockerEvent[] {
  const sinceNano = BigInt(Math.round(since * 1e9));
  const untilNano = BigInt(Math.round(until * 1e9));
  return events.filter((e) => {
    const t = BigInt(e.timeNano);
    return t >= sinceNano && (until <= 0 || t <= untilNano);
  });
}
