import { z } from 'zod';
import {
  EVENT_PAYLOADS,
  EVENT_REGISTRY,
  EVENT_SEVERITY,
  EVENT_TYPES,
  FEED_HIDDEN_EVENT_TYPES,
  maySubmitEvent,
  PERSONAL_FIELDS,
  serverCreatorOf,
  SYSTEM_EVENT_TYPES,
} from './events';
import { ROLES } from './roles';

describe('event registry', () => {
  it('declares a strict payload schema for every type, and personal fields that exist in it', () => {
    for (const type of EVENT_TYPES) {
      const { payload, personal } = EVENT_REGISTRY[type];
      expect(payload).toBeInstanceOf(z.ZodObject);
      const fields = Object.keys((payload as z.ZodObject).shape);
      expect(personal.filter((field) => !fields.includes(field))).toEqual([]);
    }
  });

  it('is what the derived tables say', () => {
    expect(Object.keys(EVENT_PAYLOADS)).toEqual(EVENT_TYPES);
    expect(EVENT_SEVERITY['task.escalated']).toBe('critical');
    expect(PERSONAL_FIELDS).toEqual({ 'report.received': ['callerPhone', 'callerName', 'address'] });
    expect(FEED_HIDDEN_EVENT_TYPES).toEqual(['lab-upload.progressed']);
  });

  it('lets clients submit only the four facts from the field, each to its roles', () => {
    const submittable = EVENT_TYPES.filter((type) => !SYSTEM_EVENT_TYPES.includes(type));
    expect(submittable.sort()).toEqual(['case.confirmed', 'contact.identified', 'report.received', 'test.resulted']);
    const allowed = (type: (typeof EVENT_TYPES)[number]) => ROLES.filter((role) => maySubmitEvent(role, type));
    expect(allowed('case.confirmed')).toEqual(['commander', 'duty-officer', 'admin']);
    expect(allowed('contact.identified')).toEqual(['commander', 'duty-officer', 'field-team', 'admin']);
    expect(allowed('test.resulted')).toEqual(['commander', 'duty-officer', 'lab', 'admin']);
    expect(allowed('report.received')).toEqual(['commander', 'duty-officer', 'field-team', 'admin']);
  });

  it('names what creates each server-only type, and lets no role submit one', () => {
    for (const type of SYSTEM_EVENT_TYPES) {
      expect(serverCreatorOf(type)).toEqual(expect.any(String));
      expect(ROLES.filter((role) => maySubmitEvent(role, type))).toEqual([]);
    }
    expect(serverCreatorOf('task.assigned')).toBe('POST /api/v1/dispatch/tasks/{id}/assign');
    expect(serverCreatorOf('case.confirmed')).toBeNull();
  });
});
