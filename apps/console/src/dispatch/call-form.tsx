import { useState } from 'react';
import type { FormEvent } from 'react';
import { REPORT_CATEGORIES, REPORT_CHANNELS } from '@frontline/contracts';
import type { EventInput, UnitsGeoJson } from '@frontline/contracts';
import { ApiError } from '../api/client';
import { useI18n } from '../i18n/i18n';
import type { UnitTree } from '../lib/unit-tree';
import { dispatchApi } from './dispatch-api';
import { PlacePicker } from './place-picker';

type Status =
  { kind: 'idle' } | { kind: 'sending' } | { kind: 'saved' } | { kind: 'error'; message: string };

/**
 * A call taken by the duty officer: recorded as a `report.received` through the ingest path
 * (`POST /api/v1/events`), like any report. The caller's name, phone and address are personal
 * fields: the server keeps them apart and never pushes them.
 */
export function CallForm({
  token,
  tree,
  home,
  geo,
  onDone,
}: {
  token: string;
  tree: UnitTree | undefined;
  home: string;
  geo: UnitsGeoJson | undefined;
  onDone: () => void;
}) {
  const { t } = useI18n();
  const [channel, setChannel] = useState<(typeof REPORT_CHANNELS)[number]>('hotline');
  const [category, setCategory] = useState<(typeof REPORT_CATEGORIES)[number]>('suspected-case');
  const [unit, setUnit] = useState(home);
  const [callerName, setCallerName] = useState('');
  const [callerPhone, setCallerPhone] = useState('');
  const [address, setAddress] = useState('');
  const [lat, setLat] = useState('');
  const [lon, setLon] = useState('');
  const [description, setDescription] = useState('');
  const [status, setStatus] = useState<Status>({ kind: 'idle' });

  const place =
    lat.trim() && lon.trim() && Number.isFinite(Number(lat)) && Number.isFinite(Number(lon))
      ? { lat: Number(lat), lon: Number(lon) }
      : null;
  const units = tree ? [tree.get(home), ...tree.children(home)].filter((u) => u !== undefined) : [];

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!description.trim())
      return setStatus({
        kind: 'error',
        message: t('dispatch.required', { field: t('dispatch.description') }),
      });
    if (!place)
      return setStatus({
        kind: 'error',
        message: t('dispatch.required', { field: `${t('dispatch.lat')}, ${t('dispatch.lon')}` }),
      });
    setStatus({ kind: 'sending' });
    const event = {
      id: crypto.randomUUID(),
      type: 'report.received',
      unit,
      occurredAt: new Date().toISOString(),
      location: place,
      payload: {
        channel,
        category,
        description: description.trim(),
        ...(callerPhone.trim() ? { callerPhone: callerPhone.trim() } : {}),
        ...(callerName.trim() ? { callerName: callerName.trim() } : {}),
        ...(address.trim() ? { address: address.trim() } : {}),
      },
    } as EventInput;
    try {
      await dispatchApi.receiveCall(token, event);
      setStatus({ kind: 'saved' });
      setCallerName('');
      setCallerPhone('');
      setAddress('');
      setDescription('');
      onDone();
    } catch (err) {
      const detail =
        err instanceof ApiError
          ? err.body?.details?.[0]
            ? `${err.body.details[0].path}: ${err.body.details[0].message}`
            : err.message
          : String(err);
      setStatus({ kind: 'error', message: t('dispatch.callFailed', { message: detail }) });
    }
  };

  return (
    <form
      className="dispatch-call"
      data-testid="dispatch-call-form"
      onSubmit={(e) => void submit(e)}
      aria-labelledby="dispatch-call-title"
    >
      <h2 id="dispatch-call-title">{t('dispatch.callTitle')}</h2>
      <div className="dispatch-grid">
        <label>
          {t('dispatch.channel')}
          <select
            name="channel"
            value={channel}
            onChange={(e) => setChannel(e.target.value as typeof channel)}
          >
            {REPORT_CHANNELS.filter((c) => c !== 'public-form' && c !== 'integration').map((c) => (
              <option key={c} value={c}>
                {t(`channel.${c}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('dispatch.category')}
          <select
            name="category"
            value={category}
            onChange={(e) => setCategory(e.target.value as typeof category)}
          >
            {REPORT_CATEGORIES.map((c) => (
              <option key={c} value={c}>
                {t(`category.${c}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('dispatch.callerName')}
          <input
            name="callerName"
            value={callerName}
            maxLength={120}
            autoComplete="off"
            onChange={(e) => setCallerName(e.target.value)}
          />
        </label>
        <label>
          {t('dispatch.callerPhone')}
          <input
            name="callerPhone"
            value={callerPhone}
            inputMode="tel"
            maxLength={20}
            autoComplete="off"
            onChange={(e) => setCallerPhone(e.target.value)}
          />
        </label>
        <label>
          {t('dispatch.unit')}
          <select name="unit" value={unit} onChange={(e) => setUnit(e.target.value)}>
            {units.length === 0 && <option value={home}>{home}</option>}
            {units.map((u) => (
              <option key={u.code} value={u.code}>
                {u.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('dispatch.address')}
          <input
            name="address"
            value={address}
            maxLength={300}
            autoComplete="off"
            onChange={(e) => setAddress(e.target.value)}
          />
        </label>
        <label>
          {t('dispatch.lat')}
          <input
            name="lat"
            value={lat}
            inputMode="decimal"
            onChange={(e) => setLat(e.target.value)}
          />
        </label>
        <label>
          {t('dispatch.lon')}
          <input
            name="lon"
            value={lon}
            inputMode="decimal"
            onChange={(e) => setLon(e.target.value)}
          />
        </label>
      </div>
      <p className="dispatch-muted">{t('dispatch.placeHint')}</p>
      <PlacePicker
        geo={geo}
        place={place}
        label={t('dispatch.map')}
        onPick={(p) => {
          setLat(String(p.lat));
          setLon(String(p.lon));
        }}
      />
      <label className="dispatch-wide">
        {t('dispatch.description')}
        <textarea
          name="description"
          value={description}
          maxLength={2000}
          rows={3}
          onChange={(e) => setDescription(e.target.value)}
        />
      </label>
      <div className="dispatch-actions">
        <button
          type="submit"
          className="button button-primary"
          disabled={status.kind === 'sending'}
          data-testid="dispatch-call-submit"
        >
          {status.kind === 'sending' ? t('dispatch.sending') : t('dispatch.submitCall')}
        </button>
        <span
          role="status"
          className={status.kind === 'error' ? 'dispatch-error' : 'dispatch-muted'}
        >
          {status.kind === 'saved'
            ? t('dispatch.callSaved')
            : status.kind === 'error'
              ? status.message
              : ''}
        </span>
      </div>
    </form>
  );
}
