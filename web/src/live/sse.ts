// An incremental parser of the text/event-stream format (the HTML standard's
// "Server-sent events" interpretation rules), fed with decoded text chunks.

export interface SseEvent {
  /** The `event:` field, "message" when absent. */
  type: string;
  data: string;
  /** The last event id after this event (the `id:` field persists across events). */
  lastEventId: string;
}

export class SseParser {
  private buffer = '';
  private data: string[] = [];
  private type = '';
  private hasData = false;
  lastEventId = '';
  /** The last `retry:` field (reconnection time in ms), if any. */
  retry: number | null = null;

  constructor(private readonly onEvent: (e: SseEvent) => void) {}

  /** Feeds a chunk of decoded text; complete events are dispatched. */
  push(chunk: string): void {
    this.buffer += chunk;
    // A line ends at CRLF, LF or CR. A CR at the very end may be the first
    // half of a CRLF split across chunks: keep it for the next chunk.
    let start = 0;
    for (;;) {
      const lf = this.buffer.indexOf('\n', start);
      const cr = this.buffer.indexOf('\r', start);
      let end: number;
      let next: number;
      if (cr !== -1 && (lf === -1 || cr < lf)) {
        if (cr === this.buffer.length - 1) break; // wait: CR or CRLF?
        end = cr;
        next = this.buffer[cr + 1] === '\n' ? cr + 2 : cr + 1;
      } else if (lf !== -1) {
        end = lf;
        next = lf + 1;
      } else {
        break;
      }
      this.line(this.buffer.slice(start, end));
      start = next;
    }
    this.buffer = this.buffer.slice(start);
  }

  /** The stream ended: an event without its blank line is discarded (as the standard says). */
  end(): void {
    this.buffer = '';
    this.data = [];
    this.type = '';
    this.hasData = false;
  }

  private line(line: string): void {
    if (line === '') {
      this.dispatch();
      return;
    }
    if (line.startsWith(':')) return; // comment (often a keep-alive)
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'event':
        this.type = value;
        break;
      case 'data':
        this.data.push(value);
        this.hasData = true;
        break;
      case 'id':
        if (!value.includes('\0')) this.lastEventId = value;
        break;
      case 'retry':
        if (/^\d+$/.test(value)) this.retry = Number(value);
        break;
      default:
        break; // unknown fields are ignored
    }
  }

  private dispatch(): void {
    const type = this.type || 'message';
    const hasData = this.hasData;
    const data = this.data.join('\n');
    this.data = [];
    this.type = '';
    this.hasData = false;
    if (!hasData) return;
    this.onEvent({ type, data, lastEventId: this.lastEventId });
  }
}
