import { originAllowed } from './http-middleware';

describe('originAllowed', () => {
  const allowed = originAllowed(['https://chat.example.com']);

  it('allows the same origin as the Host header and listed origins only', () => {
    expect(allowed('http://127.0.0.1:3000', '127.0.0.1:3000')).toBe(true);
    expect(allowed('https://chat.example.com', 'api.internal:3000')).toBe(true);
    expect(allowed('https://CHAT.example.com', 'api.internal:3000')).toBe(true);
    expect(allowed('https://evil.example', '127.0.0.1:3000')).toBe(false);
    expect(allowed('http://127.0.0.1:3001', '127.0.0.1:3000')).toBe(false);
    expect(allowed('null', '127.0.0.1:3000')).toBe(false);
    expect(allowed('https://evil.example', undefined)).toBe(false);
  });
});
