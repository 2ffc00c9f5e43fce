import { render } from '@testing-library/react';
import { HighlightedText } from './highlighted-text';

describe('HighlightedText', () => {
  it('wraps the matches in <mark> and renders markup in the text as text', () => {
    const alert = jest.spyOn(window, 'alert').mockImplementation(() => undefined);
    const content = '<img src=x onerror=alert(1)> look at <b>this</b>';
    const { container } = render(
      <p>
        <HighlightedText
          content={content}
          highlights={[
            { start: 29, end: 33 },
            { start: 0, end: 4 },
          ]}
        />
      </p>,
    );
    const marks = [...container.querySelectorAll('mark')].map((mark) => mark.textContent);
    expect(marks).toEqual(['<img', 'look']);
    expect(container.querySelector('img')).toBeNull();
    expect(container.querySelector('b')).toBeNull();
    expect(container.textContent).toBe(content);
    expect(alert).not.toHaveBeenCalled();
    alert.mockRestore();
  });
});
