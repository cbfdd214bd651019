import { fireEvent, render, screen } from '@testing-library/react';
import { expect, test, vi } from 'vitest';
import { RenameInput } from './rename-input.js';

const setUp = () => {
  const onSubmit = vi.fn();
  const onCancel = vi.fn();
  render(<RenameInput initial="notes.txt" onSubmit={onSubmit} onCancel={onCancel} />);
  return { input: screen.getByLabelText('New name'), onSubmit, onCancel };
};

test('leaving the field keeps the typed name', () => {
  const { input, onSubmit, onCancel } = setUp();
  fireEvent.change(input, { target: { value: 'ideas.txt' } });
  fireEvent.blur(input);
  expect(onSubmit).toHaveBeenCalledWith('ideas.txt');
  expect(onCancel).not.toHaveBeenCalled();
});

test('Enter saves once even when the blur follows', () => {
  const { input, onSubmit } = setUp();
  fireEvent.change(input, { target: { value: 'ideas.txt' } });
  fireEvent.keyDown(input, { key: 'Enter' });
  fireEvent.blur(input);
  expect(onSubmit).toHaveBeenCalledTimes(1);
});

test('Escape cancels, and the blur after it does not save', () => {
  const { input, onSubmit, onCancel } = setUp();
  fireEvent.change(input, { target: { value: 'ideas.txt' } });
  fireEvent.keyDown(input, { key: 'Escape' });
  fireEvent.blur(input);
  expect(onSubmit).not.toHaveBeenCalled();
  expect(onCancel).toHaveBeenCalledTimes(1);
});

test('an unchanged or empty name is a cancel', () => {
  const { input, onSubmit, onCancel } = setUp();
  fireEvent.change(input, { target: { value: '  ' } });
  fireEvent.blur(input);
  expect(onSubmit).not.toHaveBeenCalled();
  expect(onCancel).toHaveBeenCalled();
});
