'use client';

import { useActionState, useState } from 'react';
import { ActionOutcome } from '../../../../ui/action-outcome';
import { closeRoom, kickPeer, type ActionState } from '../actions';

interface ConfirmActionProps {
  action: (previous: ActionState) => Promise<ActionState>;
  label: string;
  confirmLabel: string;
  pendingLabel: string;
  /** data-testid of the arming button; the confirm button and outcome get `-confirm` / `-outcome`. */
  testId: string;
  small?: boolean;
}

/**
 * A destructive admin action: one click arms, the second confirms (no modal to get lost behind
 * live re-renders); the outcome, or the server's refusal code, shows below.
 */
function ConfirmAction({ action, label, confirmLabel, pendingLabel, testId, small = false }: ConfirmActionProps) {
  const [state, run, pending] = useActionState<ActionState>(action, null);
  const [armed, setArmed] = useState(false);
  const size = small ? ' small' : '';
  return (
    <div>
      {armed ? (
        <form action={run} style={{ display: 'inline-flex', gap: 6 }}>
          <button className={`btn danger${size}`} type="submit" disabled={pending} data-testid={`${testId}-confirm`}>
            {pending ? pendingLabel : confirmLabel}
          </button>
          <button className={`btn${size}`} type="button" onClick={() => setArmed(false)}>
            Cancel
          </button>
        </form>
      ) : (
        <button className={`btn danger${size}`} type="button" onClick={() => setArmed(true)} data-testid={testId}>
          {label}
        </button>
      )}
      <ActionOutcome state={state} testId={`${testId}-outcome`} />
    </div>
  );
}

export function KickButton({ room, peerId }: { room: string; peerId: string }) {
  return <ConfirmAction action={kickPeer.bind(null, room, peerId)} label="Kick" confirmLabel="Confirm kick" pendingLabel="Kicking…" testId="kick" small />;
}

export function CloseRoomButton({ room }: { room: string }) {
  return (
    <div style={{ textAlign: 'right' }}>
      <ConfirmAction action={closeRoom.bind(null, room)} label="Close room" confirmLabel="Confirm: close room for everyone" pendingLabel="Closing…" testId="close-room" />
    </div>
  );
}
