// Human text for the API's error codes (docs/openapi.yaml, components.schemas.Errors).
const MESSAGES: Record<string, string> = {
  message_blank: 'Write a message first.',
  message_exceed_max_chars_1024: 'A message can be at most 1,024 characters long.',
  message_group_uuid_blank: 'No conversation was given.',
  user_receiver_handle_blank: 'No recipient was given.',
  message_self: "You can't send a message to yourself.",
  user_receiver_not_found: 'There is no user with that handle.',
  user_not_found: 'There is no user with that handle.',
  message_group_not_found: 'Conversation not found.',
  invalid_cursor: 'The list could not be continued; reload the page.',
  invalid_limit: 'The list could not be loaded.',
  conversation_busy: 'The conversation is busy right now; try again.',
  messages_unavailable: 'Messages are unavailable right now; try again in a moment.',
  users_unavailable: 'Users are unavailable right now; try again in a moment.',
  auth_unavailable: 'Sign-in checks are unavailable right now; try again in a moment.',
  shutting_down: 'The server is restarting; try again in a moment.',
  request_too_large: 'The message is too large.',
};

export function errorText(code: string): string {
  return MESSAGES[code] ?? `The server answered: ${code}`;
}
