import { openSqliteStore } from '../../server/store/sqlite/index.ts';
import { storeContract } from './contract.ts';
import { makeTempDir } from './tmpdir.ts';

const temp = makeTempDir('sqlite-contract');
after(() => temp.cleanup());

storeContract('sqlite', () => openSqliteStore({ path: temp.file('contract') }));
