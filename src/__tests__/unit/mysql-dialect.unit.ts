import {expect} from '@loopback/testlab';
import {isUniqueViolation, toDate, toMysqlStatement} from '../..';

describe('MySQL dialect helpers (unit)', () => {
  describe('toMysqlStatement', () => {
    it('turns $n into ? with the parameters in placeholder order', () => {
      const params = Array.from({length: 11}, (_, i) => `p${i + 1}`);
      expect(toMysqlStatement('SELECT $10, $1, $11, $2, $1', params)).to.eql({
        sql: 'SELECT ?, ?, ?, ?, ?',
        params: ['p10', 'p1', 'p11', 'p2', 'p1'],
      });
    });

    it('writes dates as UTC DATETIME(3) text', () => {
      const at = new Date('2026-11-22T09:30:00.125+02:00');
      expect(toMysqlStatement('SELECT $1', [at]).params).to.eql([
        '2026-11-22 07:30:00.125',
      ]);
    });

    it('keeps other values as they are', () => {
      const params = [null, 3, 'text', '{"a":1}'];
      expect(toMysqlStatement('VALUES ($1, $2, $3, $4)', params)).to.eql({
        sql: 'VALUES (?, ?, ?, ?)',
        params,
      });
    });

    it('rejects a placeholder without a parameter', () => {
      expect(() => toMysqlStatement('SELECT $2', ['only one'])).to.throw(
        /No parameter for placeholder \$2/,
      );
      expect(() => toMysqlStatement('SELECT $0', ['x'])).to.throw(/\$0/);
    });
  });

  describe('toDate', () => {
    it('reads zoneless DATETIME text as UTC', () => {
      expect(toDate('2026-11-22 07:30:00.125')!.toISOString()).to.equal(
        '2026-11-22T07:30:00.125Z',
      );
      expect(toDate('2026-11-22 07:30:00')!.toISOString()).to.equal(
        '2026-11-22T07:30:00.000Z',
      );
    });

    it('keeps dates and zoned text', () => {
      const at = new Date();
      expect(toDate(at)).to.equal(at);
      expect(toDate('2026-11-22T07:30:00+01:00')!.toISOString()).to.equal(
        '2026-11-22T06:30:00.000Z',
      );
      expect(toDate(null)).to.be.null();
    });
  });

  describe('isUniqueViolation', () => {
    const mysqlError = (key: string, value = 'x') => {
      const message = `Duplicate entry '${value}' for key '${key}'`;
      return Object.assign(new Error(message), {
        code: 'ER_DUP_ENTRY',
        errno: 1062,
        sqlMessage: message,
      });
    };

    it('recognises PostgreSQL errors by constraint', () => {
      const err = {code: '23505', constraint: 'chat_a_uq'};
      expect(isUniqueViolation(err)).to.be.true();
      expect(isUniqueViolation(err, 'chat_a_uq')).to.be.true();
      expect(isUniqueViolation(err, 'chat_b_uq')).to.be.false();
    });

    it('recognises MySQL and MariaDB errors by key name', () => {
      expect(
        isUniqueViolation(mysqlError('chat_a_uq'), 'chat_a_uq'),
      ).to.be.true();
      // MySQL 8 prefixes the table
      const prefixed = mysqlError('chat_t.chat_a_uq');
      expect(isUniqueViolation(prefixed, 'chat_a_uq')).to.be.true();
      expect(isUniqueViolation(prefixed, 'chat_b_uq')).to.be.false();
    });

    it('does not take the duplicate value for the key name', () => {
      const err = mysqlError('PRIMARY', "chat_a_uq' for key 'chat_a_uq");
      expect(isUniqueViolation(err, 'chat_a_uq')).to.be.false();
      expect(isUniqueViolation(err)).to.be.true();
    });

    it('looks inside errors wrapped by Sequelize', () => {
      const wrapped = {name: 'SequelizeUniqueConstraintError'};
      const pg = {
        ...wrapped,
        original: {code: '23505', constraint: 'chat_a_uq'},
      };
      const mysql = {...wrapped, original: mysqlError('chat_a_uq')};
      expect(isUniqueViolation(pg, 'chat_a_uq')).to.be.true();
      expect(isUniqueViolation(mysql, 'chat_a_uq')).to.be.true();
    });

    it('answers false for other errors', () => {
      expect(isUniqueViolation(new Error('boom'))).to.be.false();
      expect(
        isUniqueViolation({code: 'ER_LOCK_DEADLOCK', errno: 1213}),
      ).to.be.false();
      expect(isUniqueViolation(undefined)).to.be.false();
    });
  });
});
