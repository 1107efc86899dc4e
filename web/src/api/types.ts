// Shapes of docs/openapi.yaml.

/** A conversation as listed by GET /api/message_groups (the other participant). */
export interface MessageGroup {
  uuid: string;
  display_name: string;
  handle: string;
  message: string;
  created_at: string;
}

/** A message as listed by GET /api/messages/{message_group_uuid}. */
export interface Message {
  uuid: string;
  display_name: string;
  handle: string;
  message: string;
  created_at: string;
}

/** POST /api/messages answer. */
export interface CreatedMessage extends Message {
  message_group_uuid: string;
}

/**
 * GET /api/users/@{handle}/short. `message_group_uuid` is the caller's
 * conversation with this user (null when none); servers that do not send it
 * yet leave it undefined.
 */
export interface UserShort {
  uuid: string;
  handle: string;
  display_name: string;
  message_group_uuid?: string | null;
}

export interface Page<T> {
  items: T[];
  /** X-Next-Cursor: the cursor of the next (older) page; null on the last page. */
  nextCursor: string | null;
}
