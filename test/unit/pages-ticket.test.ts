import { MAX_TICKET_LENGTH, openTicket, signTicket, ticketKeys } from '../../src/pages/ticket';

// Tickets carry a flow's state through the browser instead of the server: they must come back
// exactly as made, for the purpose they were made for, before they expire, and never otherwise.

const keys = ticketKeys(['cookie-key-1']);
const now = 1_700_000_000_000;
const data = { clientId: 'web', state: 'x "quoted" é', scope: ['read'] };

describe('page tickets', () => {
  test('a ticket opens for its purpose before it expires, with the data it was made with', () => {
    const ticket = signTicket(keys, 'test', data, now + 1000);
    expect(ticket).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(openTicket(keys, 'test', ticket, now)).toEqual(data);
  });

  test('it does not open at or after its expiry', () => {
    const ticket = signTicket(keys, 'test', data, now + 1000);
    expect(openTicket(keys, 'test', ticket, now + 1000)).toBeNull();
  });

  test('it does not open for another purpose', () => {
    expect(openTicket(keys, 'other', signTicket(keys, 'test', data, now + 1000), now)).toBeNull();
  });

  test('it does not open under another key', () => {
    expect(openTicket(ticketKeys(['cookie-key-2']), 'test', signTicket(keys, 'test', data, now + 1000), now)).toBeNull();
  });

  test('a ticket made with an older key still opens while that key is accepted', () => {
    const ticket = signTicket(keys, 'test', data, now + 1000);
    expect(openTicket(ticketKeys(['cookie-key-2', 'cookie-key-1']), 'test', ticket, now)).toEqual(data);
  });

  test('a changed body does not open, even with a later expiry written into it', () => {
    const ticket = signTicket(keys, 'test', data, now + 1000);
    const [, mac] = ticket.split('.');
    const forged = Buffer.from(JSON.stringify({ exp: now + 10 ** 9, data: { ...data, clientId: 'evil' } })).toString('base64url');
    expect(openTicket(keys, 'test', `${forged}.${mac}`, now)).toBeNull();
  });

  test.each([
    ['not a string', 42],
    ['empty', ''],
    ['without a signature', 'abc'],
    ['with two dots', 'a.b.c'],
    ['over the length bound', 'a'.repeat(MAX_TICKET_LENGTH) + '.b'],
  ])('a value %s does not open', (_label, value) => {
    expect(openTicket(keys, 'test', value, now)).toBeNull();
  });
});
