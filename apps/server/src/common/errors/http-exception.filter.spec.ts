import type { ArgumentsHost } from '@nestjs/common';
import { Logger } from '@nestjs/common';
import { AppException } from './app-exception';
import { HttpExceptionFilter } from './http-exception.filter';

/** The slice of ServerResponse the filter uses, recording what it was given. */
class RecordingResponse {
  statusCode = 200;
  headersSent = false;
  destroyed = false;
  headers: Record<string, string> = {};
  body = '';
  setHeader(name: string, value: string): void {
    this.headers[name] = value;
  }
  end(body: string): void {
    this.body = body;
  }
  destroy(): void {
    this.destroyed = true;
  }
}

function httpHost(response: RecordingResponse): ArgumentsHost {
  return {
    getType: () => 'http',
    switchToHttp: () => ({
      getResponse: () => response,
      getRequest: () => ({}),
      getNext: () => undefined,
    }),
  } as unknown as ArgumentsHost;
}

describe('HttpExceptionFilter', () => {
  const filter = new HttpExceptionFilter();

  beforeEach(() => {
    jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  });

  afterEach(() => jest.restoreAllMocks());

  it('writes the error envelope with the mapped status', () => {
    const response = new RecordingResponse();
    filter.catch(new AppException('room_not_found', 'No room with id "abc"'), httpHost(response));
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toMatch(/application\/json/);
    expect(JSON.parse(response.body)).toEqual({
      error: { code: 'room_not_found', message: 'No room with id "abc"' },
    });
  });

  it('never leaks an unexpected error’s message or stack, but logs it', () => {
    const response = new RecordingResponse();
    const error = new Error('secret internals');
    filter.catch(error, httpHost(response));
    expect(response.statusCode).toBe(500);
    expect(response.body).not.toContain('secret');
    expect(response.body).not.toContain('at ');
    expect(JSON.parse(response.body)).toEqual({
      error: { code: 'internal_error', message: 'Internal server error' },
    });
    expect(Logger.prototype.error).toHaveBeenCalledWith(
      expect.stringContaining('secret internals'),
    );
  });

  it('drops the connection when the response has already started', () => {
    const response = new RecordingResponse();
    response.headersSent = true;
    filter.catch(new Error('late'), httpHost(response));
    expect(response.destroyed).toBe(true);
    expect(response.body).toBe('');
  });
});
