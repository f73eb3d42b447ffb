'use client';

import { useActionState, useState } from 'react';
import { ActionOutcome } from '../../../../ui/action-outcome';
import { closeRoom, kickPeer, type ActionState } from '../actions';

/** Kick: one click arms, the second confirms (no modal to get lost behind live re-renders). */
export function KickButton({ room, peerId }: { room: string; peerId: string }) {
  const [state, action, pending] = useActionState<ActionState>(kickPeer.bind(null, room, peerId), null);
  const [armed, setArmed] = useState(false);
  return (
    <div>
      {armed ? (
        <form action={action} style={{ display: 'inline-flex', gap: 6 }}>
          <button className="btn small danger" type="submit" disabled={pending} data-testid="kick-confirm">
            {pending ? 'Kicking…' : 'Confirm kick'}
          </button>
          <button className="btn small" type="button" onClick={() => setArmed(false)}>
            Cancel
          </button>
        </form>
      ) : (
        <button className="btn small danger" type="button" onClick={() => setArmed(true)} data-testid="kick">
          Kick
        </button>
      )}
      <ActionOutcome state={state} testId="kick-outcome" />
    </div>
  );
}

export function CloseRoomButton({ room }: { room: string }) {
  const [state, action, pending] = useActionState<ActionState>(closeRoom.bind(null, room), null);
  const [armed, setArmed] = useState(false);
  return (
    <div style={{ textAlign: 'right' }}>
      {armed ? (
        <form action={action} style={{ display: 'inline-flex', gap: 6 }}>
          <button className="btn danger" type="submit" disabled={pending} data-testid="close-room-confirm">
            {pending ? 'Closing…' : 'Confirm: close room for everyone'}
          </button>
          <button className="btn" type="button" onClick={() => setArmed(false)}>
            Cancel
          </button>
        </form>
      ) : (
        <button className="btn danger" type="button" onClick={() => setArmed(true)} data-testid="close-room">
          Close room
        </button>
      )}
      <ActionOutcome state={state} testId="close-room-outcome" />
    </div>
  );
}
