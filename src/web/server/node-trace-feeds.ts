// The "under the hood" feeds of a multi-node lab's nodes: one TraceFeed per node, opened the first time a
// page asks for that node (the panel follows the terminal tab in front) and kept while the server runs, so
// switching tabs back shows what happened meanwhile. Each reads the node's own boxlabd through the node's
// guest (a stream to /run/boxlab/docker.sock over its VM's ssh connection); a guest that cannot open one
// (multipass) leaves the feed empty and retrying, as a stopped engine does.
import type { Guest } from '../../vm/guest.js';
import { GUEST_ENGINE_SOCKET } from '../../vm/sandbox-session.js';
import type { UnixStreamOpener } from '../../vm/socket-forward.js';
import { TraceFeed, type TraceSource } from './trace-feed.js';

type StreamGuest = Guest & Partial<UnixStreamOpener>;

export class NodeTraceFeeds {
  private readonly feeds = new Map<string, TraceFeed>();

  constructor(private readonly guestOf: (node: string) => Guest) {}

  /** the node's feed, started on first use (the caller has checked that the lab has this node) */
  feed(node: string): TraceSource {
    let feed = this.feeds.get(node);
    if (!feed) {
      const guest = this.guestOf(node) as StreamGuest;
      feed = new TraceFeed(async () => {
        if (!guest.openUnixStream) throw new Error(`${guest.name} cannot open ${GUEST_ENGINE_SOCKET}`);
        return guest.openUnixStream(GUEST_ENGINE_SOCKET);
      }, 300, 2000);
      this.feeds.set(node, feed);
      feed.start();
    }
    return feed;
  }

  stop(): void {
    for (const f of this.feeds.values()) f.stop();
    this.feeds.clear();
  }
}
