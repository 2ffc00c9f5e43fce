import { browserNotificationApi } from './notification-api';

/** Stands in for the browser's Notification class (jsdom has none). */
class FakeNotification {
  static permission: NotificationPermission = 'granted';
  static readonly created: FakeNotification[] = [];
  static requestPermission = jest.fn(() => Promise.resolve<NotificationPermission>('granted'));
  onclick: (() => void) | null = null;
  close = jest.fn();
  constructor(
    readonly title: string,
    readonly options: NotificationOptions,
  ) {
    FakeNotification.created.push(this);
  }
}

describe('browserNotificationApi', () => {
  afterEach(() => {
    delete (window as { Notification?: unknown }).Notification;
    FakeNotification.created.length = 0;
  });

  it('says "unsupported" where the browser has no Notification API', async () => {
    expect(browserNotificationApi.permission()).toBe('unsupported');
    await expect(browserNotificationApi.requestPermission()).resolves.toBe('unsupported');
  });

  it('shows a tagged notification that closes and calls back when clicked', () => {
    Object.assign(window, { Notification: FakeNotification });
    const onClick = jest.fn();
    browserNotificationApi.show({ title: 'Ben', body: 'hi', tag: 'm1' }, onClick);
    const [shown] = FakeNotification.created;
    expect(shown.title).toBe('Ben');
    expect(shown.options).toEqual({ body: 'hi', tag: 'm1' });
    shown.onclick?.();
    expect(shown.close).toHaveBeenCalled();
    expect(onClick).toHaveBeenCalled();
  });

  it('shows nothing without the permission', () => {
    Object.assign(window, { Notification: FakeNotification });
    FakeNotification.permission = 'denied';
    browserNotificationApi.show({ title: 'Ben', body: 'hi', tag: 'm1' }, jest.fn());
    expect(FakeNotification.created).toEqual([]);
    FakeNotification.permission = 'granted';
  });
});
