import { openSqliteStore } from '../../server/store/sqlite/index.ts';
import { storeContract } from './contract.ts';
import { makeTempDir } from './tmpdir.ts';

const temp = makeTempDir('sqlite-contract');
after(() => temp.cleanup());

storeContract('sqlite', () => openSqliteStore({ path: temp.file('contract') }));
// Every batch indexes its history (sqlite/history.ts): the contract's history reads go through
// postings rather than the un-indexed tail they use with the default chunk.
storeContract('sqlite, history indexed every batch', () => openSqliteStore({ path: temp.file('contract-indexed'), historyChunk: 1 }));
