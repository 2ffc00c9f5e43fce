import type { NotificationApi, NotificationPermissionState } from './notification-api';
import { NotificationOffer, dismissedPromptStore } from './notification-offer';

function fakeApi(initial: NotificationPermissionState) {
  let permission = initial;
  const api: NotificationApi & { requestPermission: jest.Mock } = {
    permission: () => permission,
    requestPermission: jest.fn(() => Promise.resolve(permission)),
    show: jest.fn(),
    isPageHidden: () => true,
  };
  return {
    api,
    decide: (next: NotificationPermissionState) => {
      permission = next;
    },
  };
}

afterEach(() => window.localStorage.clear());

describe('NotificationOffer', () => {
  it('prompts only once offered, and only while the permission is undecided', () => {
    const { api } = fakeApi('default');
    const offer = new NotificationOffer(api, dismissedPromptStore());
    expect(offer.getSnapshot()).toEqual({ permission: 'default', prompting: false });
    const listener = jest.fn();
    offer.subscribe(listener);
    offer.offer();
    offer.offer();
    expect(offer.getSnapshot().prompting).toBe(true);
    expect(listener).toHaveBeenCalledTimes(1);
    expect(api.requestPermission).not.toHaveBeenCalled();

    for (const decided of ['granted', 'denied', 'unsupported'] as const) {
      const other = new NotificationOffer(fakeApi(decided).api, dismissedPromptStore());
      other.offer();
      expect(other.getSnapshot().prompting).toBe(false);
    }
  });

  it('asks the browser on enable, and stops prompting whatever the answer', async () => {
    const { api, decide } = fakeApi('default');
    const offer = new NotificationOffer(api, dismissedPromptStore());
    offer.offer();
    decide('denied');
    await expect(offer.enable()).resolves.toBe('denied');
    expect(api.requestPermission).toHaveBeenCalledTimes(1);
    expect(offer.getSnapshot()).toEqual({ permission: 'denied', prompting: false });
  });

  it('remembers "Not now" across sessions', () => {
    const offer = new NotificationOffer(fakeApi('default').api, dismissedPromptStore());
    offer.offer();
    offer.dismiss();
    expect(offer.getSnapshot().prompting).toBe(false);

    const nextSession = new NotificationOffer(fakeApi('default').api, dismissedPromptStore());
    nextSession.offer();
    expect(nextSession.getSnapshot().prompting).toBe(false);
  });

  it('reads the permission again on refresh (changed in the site settings)', () => {
    const { api, decide } = fakeApi('denied');
    const offer = new NotificationOffer(api, dismissedPromptStore());
    offer.offer();
    decide('default');
    offer.refresh();
    expect(offer.getSnapshot()).toEqual({ permission: 'default', prompting: true });
  });
});
