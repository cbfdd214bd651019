import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import { errorMessage } from '../api/api-error.js';

/** A link in a toast, to where the news happened. */
export type ToastLink = { label: string; to: string };
type Toast = { id: number; message: string; tone: 'info' | 'error' | 'success'; link?: ToastLink };
/** A toast that stays while a long action runs, then says how it ended. */
export type ProgressToast = {
  update(message: string): void;
  finish(message: string, tone?: Toast['tone']): void;
};
type Toasts = {
  show(message: string, tone?: Toast['tone'], link?: ToastLink): void;
  showError(error: unknown): void;
  progress(message: string): ProgressToast;
};

const ToastContext = createContext<Toasts | null>(null);
let nextId = 1;

/** Short messages in a live region: results of actions and news from the server. */
export const ToastProvider = ({ children }: { children: ReactNode }) => {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const dismiss = useCallback((id: number) => {
    setToasts((current) => current.filter((toast) => toast.id !== id));
  }, []);
  const show = useCallback(
    (message: string, tone: Toast['tone'] = 'info', link?: ToastLink) => {
      const id = nextId++;
      setToasts((current) => [...current.slice(-3), { id, message, tone, ...(link && { link }) }]);
      setTimeout(() => dismiss(id), tone === 'error' ? 10_000 : 6_000);
    },
    [dismiss],
  );
  const progress = useCallback(
    (message: string): ProgressToast => {
      const id = nextId++;
      const set = (text: string, tone: Toast['tone']) =>
        setToasts((current) =>
          current.some((toast) => toast.id === id)
            ? current.map((toast) => (toast.id === id ? { id, message: text, tone } : toast))
            : [...current.slice(-3), { id, message: text, tone }],
        );
      set(message, 'info');
      return {
        update: (text) => set(text, 'info'),
        finish: (text, tone = 'success') => {
          set(text, tone);
          setTimeout(() => dismiss(id), tone === 'error' ? 10_000 : 6_000);
        },
      };
    },
    [dismiss],
  );
  const value = useMemo(
    () => ({ show, showError: (error: unknown) => show(errorMessage(error), 'error'), progress }),
    [show, progress],
  );
  return (
    <ToastContext value={value}>
      {children}
      <div className="toasts" role="status" aria-live="polite">
        {toasts.map((toast) => (
          <div key={toast.id} className={`toast toast-${toast.tone}`}>
            <span>{toast.message}</span>
            {toast.link && (
              <Link to={toast.link.to} className="toast-link" onClick={() => dismiss(toast.id)}>
                {toast.link.label}
              </Link>
            )}
            <button
              type="button"
              className="icon-button"
              aria-label="Dismiss"
              onClick={() => dismiss(toast.id)}
            >
              ×
            </button>
          </div>
        ))}
      </div>
    </ToastContext>
  );
};

export const useToasts = (): Toasts => {
  const toasts = useContext(ToastContext);
  if (!toasts) throw new Error('useToasts needs a ToastProvider.');
  return toasts;
};
