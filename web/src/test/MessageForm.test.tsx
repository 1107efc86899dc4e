import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/client';
import { MessageForm } from '../components/MessageForm';

function setup(onSend = vi.fn(async () => undefined)) {
  const user = userEvent.setup();
  render(<MessageForm onSend={onSend} recipient="@bayko" />);
  const box = screen.getByLabelText('Message @bayko');
  const button = screen.getByRole('button', { name: 'Send' });
  return { user, box, button, onSend };
}

describe('MessageForm', () => {
  it('counts code points down from 1,024', async () => {
    const { user, box } = setup();
    expect(screen.getByText('1,024 characters left')).toBeInTheDocument();
    await user.type(box, 'hi 😀');
    expect(screen.getByText('1,020 characters left')).toBeInTheDocument();
  });

  it('blocks a blank (whitespace-only) send', async () => {
    const { user, box, button, onSend } = setup();
    expect(button).toBeDisabled();
    await user.type(box, '   {Enter}{Tab}');
    expect(button).toBeDisabled();
    box.focus();
    await user.keyboard('{Control>}{Enter}{/Control}');
    expect(onSend).not.toHaveBeenCalled();
  });

  it('blocks an over-long send and says by how much', async () => {
    const { user, box, button, onSend } = setup();
    await user.click(box);
    await user.paste('😀'.repeat(1020) + 'xxxxxx'); // 1,026 code points, 2,046 UTF-16 units
    expect(screen.getByText(/2 characters too many/)).toBeInTheDocument();
    expect(box).toHaveAttribute('aria-invalid', 'true');
    expect(button).toBeDisabled();
    await user.keyboard('{Control>}{Enter}{/Control}');
    expect(onSend).not.toHaveBeenCalled();
    await user.keyboard('{Backspace}{Backspace}');
    expect(button).toBeEnabled();
  });

  it('sends, then clears the box (no reload)', async () => {
    const { user, box, button, onSend } = setup();
    await user.type(box, 'Hello there');
    await user.click(button);
    expect(onSend).toHaveBeenCalledWith('Hello there');
    expect(box).toHaveValue('');
    expect(box).toHaveFocus();
  });

  it('sends with Ctrl+Enter', async () => {
    const { user, box, onSend } = setup();
    await user.type(box, 'Quick');
    await user.keyboard('{Control>}{Enter}{/Control}');
    expect(onSend).toHaveBeenCalledWith('Quick');
  });

  it("shows the API's 422 messages and keeps the text", async () => {
    const { user, box, button } = setup(
      vi.fn(async () => {
        throw new ApiError('invalid', 422, ['message_self', 'message_exceed_max_chars_1024']);
      }),
    );
    await user.type(box, 'me');
    await user.click(button);
    expect(screen.getByRole('alert')).toHaveTextContent("You can't send a message to yourself.");
    expect(screen.getByRole('alert')).toHaveTextContent('at most 1,024 characters');
    expect(box).toHaveValue('me');
  });

  it('offers a retry after a network failure', async () => {
    let fail = true;
    const onSend = vi.fn(async () => {
      if (fail) throw new ApiError('network', 0);
    });
    const { user, box, button } = setup(onSend);
    await user.type(box, 'again');
    await user.click(button);
    expect(screen.getByRole('alert')).toHaveTextContent("can't be reached");
    fail = false;
    await user.click(screen.getByRole('button', { name: 'Retry' }));
    expect(onSend).toHaveBeenCalledTimes(2);
    expect(box).toHaveValue('');
    expect(screen.queryByRole('alert')).toBeNull();
  });
});
