import { expect } from 'chai';
import { chooseDbName, dbNameFromUrl, deploymentProblem, redactUrl } from '../../../server/store/mongodb/deployment.ts';
import { expectStoreError } from '../contract/helpers.ts';

describe('mongodb deployment checks', () => {
  it('accepts a replica set member and a mongos of MongoDB 5.0 or newer', () => {
    expect(deploymentProblem({ setName: 'rs0', maxWireVersion: 21 })).to.equal(null);
    expect(deploymentProblem({ msg: 'isdbgrid', maxWireVersion: 17 })).to.equal(null);
  });

  it('refuses a standalone server, saying how to start a replica set', () => {
    const problem = deploymentProblem({ isWritablePrimary: true, maxWireVersion: 21 } as never);
    expect(problem).to.include({ code: 'store/replica_set_required' });
    expect(problem!.message).to.match(/transactions need a replica set; start mongod with --replSet/).and.match(/docs\/OPERATIONS\.md/);
  });

  it('refuses a server older than 5.0', () => {
    expect(deploymentProblem({ setName: 'rs0', maxWireVersion: 9 })).to.include({ code: 'store/unsupported_version' });
  });

  it('hides credentials in the URL', () => {
    expect(redactUrl('mongodb://app:s3cr%2Ft@db1:27017,db2:27017/casino?replicaSet=rs0')).to.equal('mongodb://***@db1:27017,db2:27017/casino?replicaSet=rs0');
    expect(redactUrl('mongodb://127.0.0.1:27017/?replicaSet=rs0')).to.equal('mongodb://127.0.0.1:27017/?replicaSet=rs0');
  });

  it('takes the database from the option, else the URL path, else casino', async () => {
    expect(dbNameFromUrl('mongodb://127.0.0.1:27017/casino?replicaSet=rs0')).to.equal('casino');
    expect(dbNameFromUrl('mongodb+srv://u:p@cluster0.example.net/bets')).to.equal('bets');
    expect(dbNameFromUrl('mongodb://h1,h2/?replicaSet=rs0')).to.equal(null);
    expect(dbNameFromUrl('mongodb://h1')).to.equal(null);
    expect(chooseDbName('mongodb://h/prod', 'test_1')).to.equal('test_1');
    expect(chooseDbName('mongodb://h/prod')).to.equal('prod');
    expect(chooseDbName('mongodb://h')).to.equal('casino');
    for (const bad of ['a.b', 'a b', 'x'.repeat(64), '']) {
      await expectStoreError(Promise.resolve().then(() => chooseDbName('mongodb://h', bad)), 'store/invalid_argument');
    }
  });
});
