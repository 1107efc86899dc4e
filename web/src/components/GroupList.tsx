import { Link } from 'react-router-dom';
import type { MessageGroup, UserShort } from '../api/types';
import { RelativeTime, useNow } from './RelativeTime';

function Avatar({ name }: { name: string }) {
  const initial = [...(name.trim() || '?')][0].toUpperCase();
  return (
    <span className="avatar" aria-hidden="true">
      {initial}
    </span>
  );
}

export function GroupList({
  groups,
  activeUuid,
  pendingUser,
}: {
  groups: MessageGroup[];
  activeUuid?: string;
  pendingUser?: UserShort | null;
}) {
  const now = useNow();
  return (
    <ul className="group-list">
      {pendingUser && (
        <li key="new">
          <Link
            to={`/messages/new/${encodeURIComponent(pendingUser.handle)}`}
            className="group active"
            aria-current="page"
          >
            <Avatar name={pendingUser.display_name} />
            <span className="group-body">
              <span className="group-head">
                <span className="name">{pendingUser.display_name}</span>{' '}
                <span className="handle">@{pendingUser.handle}</span>
              </span>
              <span className="last">New conversation</span>
            </span>
          </Link>
        </li>
      )}
      {groups.map((g) => {
        const active = g.uuid === activeUuid;
        return (
          <li key={g.uuid}>
            <Link
              to={`/messages/${g.uuid}`}
              className={`group${active ? ' active' : ''}`}
              aria-current={active ? 'page' : undefined}
            >
              <Avatar name={g.display_name} />
              <span className="group-body">
                <span className="group-head">
                  <span className="name">{g.display_name}</span> <span className="handle">@{g.handle}</span>{' '}
                  <RelativeTime value={g.created_at} now={now} />
                </span>
                <span className="last">{g.message}</span>
              </span>
            </Link>
          </li>
        );
      })}
    </ul>
  );
}
