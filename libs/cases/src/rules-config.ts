import type { AppConfig } from '@frontline/config';
import type { CaseRules } from './case-engine';

/** The case rules with this deployment's configuration (monitoring days, auto-confirmation, cluster size). */
export function caseRulesOf(config: AppConfig): CaseRules {
  return {
    monitoringDays: {
      F0: config.CASE_MONITORING_DAYS_F0,
      F1: config.CASE_MONITORING_DAYS_F1,
      F2: config.CASE_MONITORING_DAYS_F2,
      suspected: config.CASE_MONITORING_DAYS_SUSPECTED,
    },
    autoConfirmRtPcr: config.CASE_AUTO_CONFIRM_RTPCR,
    clusterMinSize: config.CLUSTER_MIN_SIZE,
    timeZone: config.FRONTLINE_TIMEZONE,
  };
}
