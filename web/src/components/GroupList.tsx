import { memo, useCallback, type MouseEvent } from 'react';
import { Link, useNavigate } from 'react-router-dom';
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
  const navigate = useNavigate();
  // Opening a conversation renders it in the click's own task (flushSync)
  // rather than in a transition React schedules later: its request is already
  // on its way (App.tsx prefetchOnNavigation), and the reader sees the
  // conversation's header and loading state in the next frame.
  const open = useCallback(
    (e: MouseEvent<HTMLAnchorElement>, to: string) => {
      if (e.button !== 0 || e.metaKey || e.altKey || e.ctrlKey || e.shiftKey) return; // new tab, download, ...: the browser's
      e.preventDefault();
      navigate(to, { flushSync: true });
    },
    [navigate],
  );
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
      {groups.map((g) => (
        <GroupRow key={g.uuid} group={g} active={g.uuid === activeUuid} now={now} onOpen={open} />
      ))}
    </ul>
  );
}

/** One conversation. Memoized: opening another conversation renders only the two rows whose state changed. */
const GroupRow = memo(function GroupRow({
  group: g,
  active,
  now,
  onOpen,
}: {
  group: MessageGroup;
  active: boolean;
  now: number;
  onOpen: (e: MouseEvent<HTMLAnchorElement>, to: string) => void;
}) {
  const to = `/messages/${g.uuid}`;
  return (
    <li>
      <Link
        to={to}
        onClick={(e) => onOpen(e, to)}
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
});
