import { useId } from 'react';
import { NotificationPermissionSetting } from '@/features/notifications';
import { describeError } from '@/lib/api-error';
import { useMe } from '../api/get-me';
import { useUpdateMe } from '../api/update-me';

/** The signed-in user's settings, folded away under the name in the sidebar. */
export function AccountSettings() {
  const me = useMe();
  const update = useUpdateMe();
  const shareId = useId();
  const hintId = useId();
  const shareReadState = me.data?.shareReadState;
  return (
    <details className="account-settings">
      <summary>Settings</summary>
      <div className="account-settings__body">
        <div className="account-settings__option">
          <input
            id={shareId}
            type="checkbox"
            checked={shareReadState ?? false}
            // Unknown until the server answers: a guess would be a lie either way.
            disabled={shareReadState === undefined}
            aria-describedby={hintId}
            onChange={(event) => update.mutate({ shareReadState: event.target.checked })}
          />
          <label htmlFor={shareId}>Share read receipts</label>
        </div>
        <p id={hintId} className="account-settings__hint">
          Others see how far you have read (“Seen”) in direct messages and small rooms.
        </p>
        {update.isError && (
          <p role="alert" className="form-error">
            Could not save: {describeError(update.error)}
          </p>
        )}
        <NotificationPermissionSetting />
      </div>
    </details>
  );
}
