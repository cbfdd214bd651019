import type { AdminFailedJobs, AdminUser, AdminUsersPage, InstanceTotals } from '@myfile/contract';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type SyntheticEvent } from 'react';
import { errorMessage } from '../api/api-error.js';
import { formatBytes, formatCount, formatDate } from '../api/format.js';
import { api } from '../api/http.js';
import { useReauth } from '../account/reauth-prompt.js';
import { useToasts } from '../ui/toasts.js';
import { useTitle } from '../ui/use-title.js';
import { useTranslation } from '../i18n/i18n.js';

const MiB = 1024 * 1024;

const TotalsSection = () => {
  const { t } = useTranslation();
  const totals = useQuery({
    queryKey: ['admin', 'totals'],
    queryFn: () => api<InstanceTotals>('/api/admin/totals'),
  });
  if (totals.error) return <p role="alert">{errorMessage(totals.error)}</p>;
  if (!totals.data) return <p>{t('admin.loadingTotals')}</p>;
  const { users, files, bytes, jobs } = totals.data;
  return (
    <section aria-labelledby="admin-totals">
      <h2 id="admin-totals">{t('admin.instance')}</h2>
      <dl className="admin-totals">
        <dt>{t('admin.accounts')}</dt>
        <dd>
          {t('admin.accountCounts', {
            count: users.total,
            admins: users.admins,
            disabled: users.disabled,
          })}
        </dd>
        <dt>{t('admin.files')}</dt>
        <dd>{formatCount(files)}</dd>
        <dt>{t('admin.stored')}</dt>
        <dd>
          {t('admin.storedSizes', { hot: formatBytes(bytes.hot), cold: formatBytes(bytes.cold) })}
        </dd>
        <dt>{t('admin.jobs')}</dt>
        <dd>{t('admin.jobCounts', { ...jobs })}</dd>
      </dl>
    </section>
  );
};

const QuotaForm = ({ user, onSaved }: { user: AdminUser; onSaved: () => void }) => {
  const { t } = useTranslation();
  const toasts = useToasts();
  const { withReauth, prompt } = useReauth();
  const [value, setValue] = useState(String(Math.round(user.quotaBytes / MiB)));
  const submit = async (event: SyntheticEvent) => {
    event.preventDefault();
    const mib = Number(value);
    if (!Number.isFinite(mib) || mib < 0) {
      toasts.show(t('admin.quotaInvalid'), 'error');
      return;
    }
    try {
      await withReauth(async () => {
        await api(`/api/admin/users/${user.id}/quota`, {
          method: 'PUT',
          body: { quotaBytes: Math.round(mib * MiB) },
        });
        toasts.show(
          t('admin.quotaSet', { email: user.email, size: formatBytes(Math.round(mib * MiB)) }),
          'success',
        );
        onSaved();
      });
    } catch (error) {
      toasts.showError(error);
    }
  };
  return (
    <>
      <form onSubmit={(event) => void submit(event)} className="admin-quota">
        <label>
          {t('admin.quotaFor', { email: user.email })}
          <input
            type="number"
            min={0}
            inputMode="numeric"
            value={value}
            onChange={(event) => setValue(event.target.value)}
          />
        </label>
        <button type="submit" className="button">
          {t('admin.saveQuota')}
        </button>
      </form>
      {prompt}
    </>
  );
};

const UsersSection = () => {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const toasts = useToasts();
  const { withReauth, prompt } = useReauth();
  const [query, setQuery] = useState('');
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors.at(-1);
  const users = useQuery({
    queryKey: ['admin', 'users', query, cursor],
    queryFn: () =>
      api<AdminUsersPage>(
        `/api/admin/users?${new URLSearchParams({
          ...(query ? { q: query } : {}),
          ...(cursor ? { cursor } : {}),
          limit: '50',
        }).toString()}`,
      ),
  });
  const refresh = () => void queryClient.invalidateQueries({ queryKey: ['admin'] });
  const act = async (user: AdminUser, action: 'disable' | 'enable' | 'password-reset') => {
    const confirmText = {
      disable: t('admin.confirmDisable', { email: user.email }),
      enable: t('admin.confirmEnable', { email: user.email }),
      'password-reset': t('admin.confirmReset', { email: user.email }),
    }[action];
    if (!window.confirm(confirmText)) return;
    try {
      await withReauth(async () => {
        await api(`/api/admin/users/${user.id}/${action}`, { method: 'POST' });
        toasts.show(
          {
            disable: t('admin.disabledToast', { email: user.email }),
            enable: t('admin.enabledToast', { email: user.email }),
            'password-reset': t('admin.resetToast', { email: user.email }),
          }[action],
          'success',
        );
        refresh();
      });
    } catch (error) {
      toasts.showError(error);
    }
  };
  return (
    <section aria-labelledby="admin-users">
      <h2 id="admin-users">{t('admin.accounts')}</h2>
      {prompt}
      <form
        role="search"
        onSubmit={(event) => {
          event.preventDefault();
          setCursors([]);
        }}
      >
        <label>
          {t('admin.findAccount')}
          <input
            type="search"
            value={query}
            placeholder={t('admin.findPlaceholder')}
            onChange={(event) => {
              setQuery(event.target.value);
              setCursors([]);
            }}
          />
        </label>
      </form>
      {users.error ? <p role="alert">{errorMessage(users.error)}</p> : null}
      <div className="table-scroll">
        <table className="admin-users">
          <thead>
            <tr>
              <th scope="col">{t('admin.email')}</th>
              <th scope="col">{t('admin.used')}</th>
              <th scope="col">{t('admin.quota')}</th>
              <th scope="col">{t('admin.files')}</th>
              <th scope="col">{t('admin.lastSeen')}</th>
              <th scope="col">{t('admin.status')}</th>
              <th scope="col">{t('admin.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {(users.data?.users ?? []).map((user) => (
              <tr key={user.id}>
                <th scope="row">
                  {user.email}
                  {user.isAdmin ? t('admin.adminMark') : ''}
                </th>
                <td>{formatBytes(user.usedBytes)}</td>
                <td>
                  <QuotaForm key={user.quotaBytes} user={user} onSaved={refresh} />
                </td>
                <td>{formatCount(user.fileCount)}</td>
                <td>{user.lastSeenAt ? formatDate(user.lastSeenAt) : t('admin.never')}</td>
                <td>{user.disabled ? t('admin.disabled') : t('admin.active')}</td>
                <td>
                  {user.disabled ? (
                    <button
                      type="button"
                      className="button"
                      onClick={() => void act(user, 'enable')}
                    >
                      {t('admin.enableNamed', { email: user.email })}
                    </button>
                  ) : (
                    <button
                      type="button"
                      className="button"
                      onClick={() => void act(user, 'disable')}
                    >
                      {t('admin.disableNamed', { email: user.email })}
                    </button>
                  )}
                  <button
                    type="button"
                    className="button"
                    onClick={() => void act(user, 'password-reset')}
                  >
                    {t('admin.resetNamed', { email: user.email })}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p>
        {cursors.length > 0 ? (
          <button type="button" className="button" onClick={() => setCursors(cursors.slice(0, -1))}>
            {t('admin.previousPage')}
          </button>
        ) : null}
        {users.data?.nextCursor ? (
          <button
            type="button"
            onClick={() => {
              const next = users.data?.nextCursor;
              if (next) setCursors([...cursors, next]);
            }}
          >
            {t('admin.nextPage')}
          </button>
        ) : null}
      </p>
    </section>
  );
};

const FailedJobsSection = () => {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const toasts = useToasts();
  const { withReauth, prompt } = useReauth();
  const jobs = useQuery({
    queryKey: ['admin', 'failed-jobs'],
    queryFn: () => api<AdminFailedJobs>('/api/admin/jobs/failed'),
  });
  const retry = async (id: string) => {
    try {
      await withReauth(async () => {
        await api(`/api/admin/jobs/${id}/retry`, { method: 'POST' });
        toasts.show(t('admin.jobRetried'), 'success');
      });
    } catch (error) {
      toasts.showError(error);
    } finally {
      void queryClient.invalidateQueries({ queryKey: ['admin'] });
    }
  };
  return (
    <section aria-labelledby="admin-jobs">
      <h2 id="admin-jobs">{t('admin.failedJobs')}</h2>
      {prompt}
      {jobs.error ? <p role="alert">{errorMessage(jobs.error)}</p> : null}
      {jobs.data && jobs.data.jobs.length === 0 ? <p>{t('admin.noFailedJobs')}</p> : null}
      <ul className="admin-jobs">
        {(jobs.data?.jobs ?? []).map((job) => (
          <li key={job.id}>
            {t('admin.jobLine', {
              name: job.name,
              owner: job.ownerEmail ?? t('admin.theSystem'),
              count: job.attempts,
            })}
            {job.finishedAt ? t('admin.failedAt', { date: formatDate(job.finishedAt) }) : ''}{' '}
            <button type="button" className="button" onClick={() => void retry(job.id)}>
              {t('admin.retryNamed', { name: job.name })}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
};

/** Accounts, quotas and the job queue; never anyone's files. */
export const AdminPage = () => {
  const { t } = useTranslation();
  useTitle(t('admin.title'));
  return (
    <div className="page admin-page">
      <h1>{t('admin.title')}</h1>
      <TotalsSection />
      <UsersSection />
      <FailedJobsSection />
    </div>
  );
};
