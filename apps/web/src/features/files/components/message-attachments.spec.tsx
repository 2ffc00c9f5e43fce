import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { AttachmentDto } from '@parley/contracts';
import { MessageAttachments } from './message-attachments';

const image: AttachmentDto = {
  id: 'a'.repeat(24),
  name: 'sunset.png',
  size: 2048,
  contentType: 'image/png',
  kind: 'image',
  width: 640,
  height: 480,
};

const payloadName = '<img src=x onerror=alert(1)>.txt';
const document_: AttachmentDto = {
  id: 'b'.repeat(24),
  name: payloadName,
  size: 1536,
  contentType: 'text/plain',
  kind: 'file',
  width: null,
  height: null,
};

describe('MessageAttachments', () => {
  const fetchMock = jest.fn<Promise<Response>, Parameters<typeof fetch>>();
  const createObjectURL = jest.fn((blob: Blob) => `blob:${blob.size}`);
  const revokeObjectURL = jest.fn();

  beforeEach(() => {
    fetchMock.mockReset();
    fetchMock.mockImplementation((input) =>
      Promise.resolve({
        ok: true,
        status: 200,
        blob: () => Promise.resolve(new Blob([typeof input === 'string' ? input : 'bytes'])),
      } as Response),
    );
    global.fetch = fetchMock as typeof fetch;
    URL.createObjectURL = createObjectURL;
    URL.revokeObjectURL = revokeObjectURL;
  });

  it('shows an image as its fetched thumbnail and opens it in a keyboard-friendly viewer', async () => {
    const user = userEvent.setup();
    const { unmount } = render(<MessageAttachments attachments={[image]} />);
    const thumbnail = await screen.findByRole('img', { name: 'sunset.png' });
    expect(thumbnail).toHaveAttribute('src', expect.stringMatching(/^blob:/));
    expect(fetchMock.mock.calls[0][0]).toBe(`/api/files/${image.id}/thumbnail`);
    // The box keeps the picture's shape (640×480 into 240).
    expect(thumbnail).toHaveAttribute('width', '240');
    expect(thumbnail).toHaveAttribute('height', '180');

    const opener = screen.getByRole('button', { name: 'Open image sunset.png' });
    await user.click(opener);
    const viewer = screen.getByRole('dialog', { name: 'sunset.png' });
    expect(viewer).toHaveAttribute('aria-modal', 'true');
    expect(within(viewer).getByRole('button', { name: 'Close' })).toHaveFocus();
    expect(await within(viewer).findByRole('img', { name: 'sunset.png' })).toBeInTheDocument();
    expect(fetchMock.mock.calls.map(([input]) => input)).toContain(`/api/files/${image.id}`);
    expect(viewer).toHaveTextContent('640 × 480, 2 KB');

    // Tab stays inside: from the last control back to the first.
    await user.tab();
    expect(within(viewer).getByRole('link', { name: 'Download sunset.png' })).toHaveFocus();
    await user.tab();
    expect(within(viewer).getByRole('button', { name: 'Close' })).toHaveFocus();

    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(opener).toHaveFocus();

    await user.click(opener);
    await user.click(screen.getByRole('button', { name: 'Close' }));
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();

    unmount();
    await waitFor(() => expect(revokeObjectURL).toHaveBeenCalled());
  });

  it('shows another file as a card: its name as inert text, size, type and a download link', () => {
    render(<MessageAttachments attachments={[document_]} />);
    expect(screen.getByText(payloadName)).toBeInTheDocument();
    expect(document.querySelector('img')).toBeNull();
    expect(screen.getByText('1.5 KB · text/plain')).toBeInTheDocument();
    const link = screen.getByRole('link', { name: `Download ${payloadName}` });
    expect(link).toHaveAttribute('href', `/api/files/${document_.id}`);
    expect(link).toHaveAttribute('download', payloadName);
    // Nothing is fetched until it is asked for.
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it('downloads through a fetch (which can carry the token), saved under the uploaded name', async () => {
    const user = userEvent.setup();
    const clicked: HTMLAnchorElement[] = [];
    const click = jest.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (
      this: HTMLAnchorElement,
    ) {
      clicked.push(this);
    });
    render(<MessageAttachments attachments={[document_]} />);
    await user.click(screen.getByRole('link', { name: `Download ${payloadName}` }));
    await waitFor(() => expect(clicked).toHaveLength(1));
    expect(fetchMock.mock.calls[0][0]).toBe(`/api/files/${document_.id}`);
    expect(clicked[0].download).toBe(payloadName);
    expect(clicked[0].href).toMatch(/^blob:/);
    click.mockRestore();
  });
});
