import { useOutletContext } from 'react-router-dom';
import type { CreatedMessage, MessageGroup, UserShort } from '../api/types';
import type { MessageInGroup } from '../lib/merge';
import type { LiveStatus } from '../live/connection';

export type LiveEvent = { type: 'message'; message: MessageInGroup } | { type: 'refresh' };

/** What the messages layout (the conversation list) shares with the page beside it. */
export interface MessagesContext {
  groups: MessageGroup[];
  groupsLoaded: boolean;
  /** A message I sent: its conversation moves to the top (`other` names a new conversation's participant). */
  onSent: (m: CreatedMessage, other?: Pick<UserShort, 'handle' | 'display_name'>) => void;
  /** The user of /messages/new/:handle, shown on top of the list while the page is open. */
  setPendingUser: (u: UserShort | null) => void;
  /** Live messages and refresh requests (reconnect gaps, polling). */
  subscribe: (listener: (e: LiveEvent) => void) => () => void;
  liveStatus: LiveStatus;
}

export function useMessagesContext(): MessagesContext {
  return useOutletContext<MessagesContext>();
}
