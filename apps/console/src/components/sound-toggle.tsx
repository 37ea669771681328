import { useSyncExternalStore } from 'react';
import { alarm } from '../alerts/alarm';
import { useI18n } from '../i18n/i18n';

/** Mute / unmute the urgent-report alarm; says so when the browser has not allowed sound yet. */
export function SoundToggle() {
  const { t } = useI18n();
  const { state, rings } = useSyncExternalStore(alarm.subscribe, alarm.getSnapshot);
  const label =
    state === 'on'
      ? t('sound.onLabel')
      : state === 'muted'
        ? t('sound.offLabel')
        : t('sound.blockedLabel');
  return (
    <button
      type="button"
      className={`button sound-toggle sound-${state}`}
      data-testid="sound-toggle"
      data-state={state}
      data-rings={rings}
      aria-label={label}
      title={label}
      aria-pressed={state !== 'muted'}
      onClick={() => {
        if (state === 'blocked') {
          alarm.unlock();
          alarm.setMuted(false);
        } else {
          alarm.unlock();
          alarm.setMuted(state === 'on');
        }
      }}
    >
      <span className="sound-icon" aria-hidden="true" />
      {state === 'on' ? t('sound.on') : state === 'muted' ? t('sound.off') : t('sound.blocked')}
    </button>
  );
}
