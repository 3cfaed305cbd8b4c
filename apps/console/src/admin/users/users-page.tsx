import { useState } from 'react'
import type { FormEvent } from 'react'
import { Link, Route, Routes, useLocation, useSearchParams } from 'react-router'
import { client } from '../../api.ts'
import { useI18n } from '../../i18n.tsx'
import { call } from '../../problem.ts'
import { Button } from '../../ui/button.tsx'
import { Field } from '../../ui/field.tsx'
import { Notice, ProblemAlert } from '../../ui/problem-alert.tsx'
import { Loaded } from '../../ui/states.tsx'
import { usePaged } from './paging.ts'
import { UserDetail } from './user-detail.tsx'
import { RoleBadges, StateBadge, userLabel } from './user-bits.tsx'
import type { User } from './user-bits.tsx'
import './admin.css'

/** /admin/users: the search, and /admin/users/:id, one user. */
export function UsersPage () {
  return (
    <Routes>
      <Route index element={<UserList />} />
      <Route path=':id' element={<UserDetail />} />
    </Routes>
  )
}

function UserList () {
  const { t, formatDate } = useI18n()
  const location = useLocation()
  const [params, setParams] = useSearchParams()
  const query = params.get('query') ?? ''
  const [draft, setDraft] = useState(query)
  const deleted = (location.state as { deleted?: string } | null)?.deleted
  const users = usePaged<User>(cursor => call(client.GET('/api/v1/users', {
    params: { query: { limit: 20, ...(query ? { query } : {}), ...(cursor ? { cursor } : {}) } }
  })), [query])

  function search (event: FormEvent) {
    event.preventDefault()
    const next = draft.trim()
    setParams(next ? { query: next } : {})
  }

  return (
    <section className='section' aria-labelledby='users-title'>
      <h2 id='users-title'>{t('admin.users.title')}</h2>
      {deleted ? <Notice tone='success'>{t('admin.users.deleted', { name: deleted })}</Notice> : null}
      <form className='card card-section search-form' role='search' aria-label={t('admin.users.search.label')} onSubmit={search}>
        <Field
          label={t('admin.users.search.field')}
          name='query'
          type='search'
          value={draft}
          maxLength={200}
          hint={t('admin.users.search.hint')}
          onChange={event => setDraft(event.target.value)}
        />
        <Button type='submit'>{t('admin.users.search.submit')}</Button>
        {query ? <Button tone='secondary' onClick={() => { setDraft(''); setParams({}) }}>{t('admin.users.search.clear')}</Button> : null}
      </form>
      <Loaded state={users.state} retry={users.reload}>
        {() => users.items.length === 0
          ? <p className='card empty'>{query ? t('admin.users.noMatch', { query }) : t('admin.users.none')}</p>
          : (
            <>
              <div className='table-wrap'>
                <table>
                  <caption className='table-caption'>{query ? t('admin.users.caption.query', { query }) : t('admin.users.caption.all')}</caption>
                  <thead>
                    <tr>
                      <th scope='col'>{t('admin.users.col.user')}</th>
                      <th scope='col' className='hide-narrow'>{t('admin.users.col.phone')}</th>
                      <th scope='col'>{t('admin.users.col.roles')}</th>
                      <th scope='col'>{t('admin.users.col.state')}</th>
                      <th scope='col' className='hide-narrow'>{t('admin.users.col.created')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {users.items.map(user => (
                      <tr key={user.id}>
                        <td>
                          <Link to={`/admin/users/${user.id}`}>{userLabel(user)}</Link>
                          {user.name && user.email ? <div className='muted small'>{user.email}</div> : null}
                        </td>
                        <td className='hide-narrow'>{user.phone ?? <span className='muted'>—</span>}</td>
                        <td><RoleBadges roles={user.roles} /></td>
                        <td><StateBadge user={user} /></td>
                        <td className='hide-narrow nowrap'>{formatDate(user.createdAt)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <div className='pager'>
                <span className='count' role='status'>{t('admin.users.shown', { count: users.items.length })}</span>
                {users.nextCursor
                  ? <Button tone='secondary' busy={users.loadingMore} onClick={() => { users.more().catch(() => {}) }}>{t('admin.more')}</Button>
                  : null}
              </div>
              <ProblemAlert problem={users.moreProblem} />
            </>
            )}
      </Loaded>
    </section>
  )
}
