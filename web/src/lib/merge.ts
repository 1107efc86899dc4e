// Pure list logic shared by the pages, the live stream and polling.
import type { Message, MessageGroup } from '../api/types';
import { parseTimestamp } from './time';

function time(t: string): number {
  const ms = parseTimestamp(t);
  return Number.isNaN(ms) ? 0 : ms;
}

/**
 * Messages by uuid (later copies win), oldest first; equal times keep their
 * order of arrival.
 */
export function mergeMessages(existing: readonly Message[], incoming: readonly Message[]): Message[] {
  const byUuid = new Map<string, Message>();
  for (const m of existing) byUuid.set(m.uuid, m);
  for (const m of incoming) {
    const old = byUuid.get(m.uuid);
    // an unchanged message keeps its object: its row is not rendered again
    if (!old || !sameMessage(old, m)) byUuid.set(m.uuid, pickMessage(m));
  }
  return [...byUuid.values()]
    .map((m, i) => ({ m, i, t: time(m.created_at) }))
    .sort((a, b) => a.t - b.t || a.i - b.i)
    .map((x) => x.m);
}

function sameMessage(a: Message, b: Message): boolean {
  return (
    a.display_name === b.display_name && a.handle === b.handle && a.message === b.message && a.created_at === b.created_at
  );
}

function pickMessage(m: Message): Message {
  const { uuid, display_name, handle, message, created_at } = m;
  return { uuid, display_name, handle, message, created_at };
}

/** Conversations by uuid (later copies win), newest last message first. */
export function mergeGroups(existing: readonly MessageGroup[], incoming: readonly MessageGroup[]): MessageGroup[] {
  const byUuid = new Map<string, MessageGroup>();
  for (const g of existing) byUuid.set(g.uuid, g);
  for (const g of incoming) {
    const old = byUuid.get(g.uuid);
    // never move a conversation back to an older last message
    if (!old || time(g.created_at) >= time(old.created_at)) byUuid.set(g.uuid, g);
  }
  return [...byUuid.values()]
    .map((g, i) => ({ g, i, t: time(g.created_at) }))
    .sort((a, b) => b.t - a.t || a.i - b.i)
    .map((x) => x.g);
}

export interface MessageInGroup extends Message {
  message_group_uuid: string;
}

/**
 * A new message in some conversation: that conversation gets the message as
 * its last one and moves to the top. `known` is false when the conversation
 * is not in the list (the caller then reloads the list: the other
 * participant of a conversation is not in the event when I sent it).
 */
export function applyMessageToGroups(
  groups: readonly MessageGroup[],
  m: MessageInGroup,
): { groups: MessageGroup[]; known: boolean } {
  const old = groups.find((g) => g.uuid === m.message_group_uuid);
  if (!old) return { groups: [...groups], known: false };
  if (time(m.created_at) < time(old.created_at)) return { groups: [...groups], known: true };
  const updated: MessageGroup = { ...old, message: m.message, created_at: m.created_at };
  return { groups: [updated, ...groups.filter((g) => g !== old)], known: true };
}
