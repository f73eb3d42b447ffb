'use client';

import { useActionState } from 'react';
import { createRoom, type ActionState } from './actions';
import { ActionOutcome } from '../../../ui/action-outcome';

export function CreateRoomForm() {
  const [state, action, pending] = useActionState<ActionState, FormData>(createRoom, null);
  return (
    <div>
      <form className="inline" action={action} data-testid="create-room">
        <input type="text" name="name" placeholder="room name" required maxLength={128} aria-label="room name" data-testid="create-room-name" />
        <input type="number" name="maxPeers" placeholder="max peers" min={1} max={10000} aria-label="max peers" style={{ width: 110 }} />
        <button className="btn primary" type="submit" disabled={pending} data-testid="create-room-submit">
          Create room
        </button>
      </form>
      <ActionOutcome state={state} testId="create-room-outcome" />
    </div>
  );
}
