import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import { errorMessage } from '../api/api-error.js';
import { useTranslation } from '../i18n/i18n.js';

/** A link in a toast, to where the news happened. */
export type ToastLink = { label: string; to: string };
/** A button in a toast that acts on what the toast reports ("Undo"). */
export type ToastAction = { label: string; onSelect(): void };
type Toast = {
  id: number;
  message: string;
  tone: 'info' | 'error' | 'success';
  link?: ToastLink;
  action?: ToastAction;
};
/** A toast that stays while a long action runs, then says how it ended. */
export type ProgressToast = {
  update(message: string): void;
  finish(message: string, tone?: Toast['tone'], action?: ToastAction): void;
};
type Toasts = {
  show(message: string, tone?: Toast['tone'], link?: ToastLink, action?: ToastAction): void;
  showError(error: unknown): void;
  progress(message: string): ProgressToast;
};

const ToastContext = createContext<Toasts | null>(null);
let nextId = 1;

/** Short messages in a live region: results of actions and news from the server. */
export const ToastProvider = ({ children }: { children: ReactNode }) => {
  const { t } = useTranslation();
  const [toasts, setToasts] = useState<Toast[]>([]);
  const dismiss = useCallback((id: number) => {
    setToasts((current) => current.filter((toast) => toast.id !== id));
  }, []);
  const show = useCallback(
    (message: string, tone: Toast['tone'] = 'info', link?: ToastLink, action?: ToastAction) => {
      const id = nextId++;
      setToasts((current) => [
        ...current.slice(-3),
        { id, message, tone, ...(link && { link }), ...(action && { action }) },
      ]);
      // An offer to undo stays long enough to be taken up.
      setTimeout(() => dismiss(id), tone === 'error' || action ? 10_000 : 6_000);
    },
    [dismiss],
  );
  const progress = useCallback(
    (message: string): ProgressToast => {
      const id = nextId++;
      const set = (text: string, tone: Toast['tone'], action?: ToastAction) => {
        const next: Toast = { id, message: text, tone, ...(action && { action }) };
        setToasts((current) =>
          current.some((toast) => toast.id === id)
            ? current.map((toast) => (toast.id === id ? next : toast))
            : [...current.slice(-3), next],
        );
      };
      set(message, 'info');
      return {
        update: (text) => set(text, 'info'),
        finish: (text, tone = 'success', action) => {
          set(text, tone, action);
          setTimeout(() => dismiss(id), tone === 'error' || action ? 10_000 : 6_000);
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
            {toast.action && (
              <button
                type="button"
                className="link-button toast-link"
                onClick={() => {
                  dismiss(toast.id);
                  toast.action?.onSelect();
                }}
              >
                {toast.action.label}
              </button>
            )}
            <button
              type="button"
              className="icon-button"
              aria-label={t('common.dismiss')}
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
