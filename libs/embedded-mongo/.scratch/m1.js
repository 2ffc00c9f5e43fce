const { Query, Aggregator, update, updateOne } = require('mingo');
const { ObjectId, Decimal128, Long, Binary, Int32, Double } = require('bson');
const a = new ObjectId(); const b = new ObjectId(a.toHexString()); const c = new ObjectId();
const docs = [{_id: a, n: 1, d: new Date(1000), l: Long.fromNumber(5), dec: Decimal128.fromString('1.5')},{_id: c, n: 2, d: new Date(2000), l: Long.fromNumber(7)}];
const t = (q) => { try { return docs.filter(d => new Query(q, {}).test(d)).map(d=>d.n); } catch (e) { return 'ERR ' + e.message; } };
console.log('oid eq', t({_id: b}));
console.log('oid in', t({_id: {$in: [b]}}));
console.log('oid ne', t({_id: {$ne: b}}));
console.log('date gt', t({d: {$gt: new Date(1500)}}));
console.log('long gt', t({l: {$gt: 6}}));
console.log('long eq', t({l: 5}));
console.log('dec gt', t({dec: {$gt: 1}}));
console.log('unknown', t({n: {$foo: 1}}));
console.log('unknown top', t({$foo: 1}));
try { console.log(new Aggregator([{$sort: {_id: -1}}], {}).run(docs).map(d=>d.n)); } catch(e) { console.log('agg err', e.message); }
try { console.log(new Aggregator([{$bogus: {}}], {}).run(docs)); } catch(e) { console.log('agg err', e.message); }
try { console.log(new Aggregator([{$group: {_id: '$_id', c: {$sum: 1}}}], {}).run([...docs, {_id: b, n: 3}])); } catch(e) { console.log('agg err', e.message); }
const o = {_id: 1, a: 1, arr: [1,2,3]};
console.log(update(o, {$inc: {a: 2}, $push: {arr: 4}}), o);
try { console.log(update(o, {$foo: {a: 2}}), o); } catch(e) { console.log('upd err', e.message); }
const o2 = {_id: 1, a: [{x:1},{x:2}]};
console.log(update(o2, {$set: {'a.$[e].x': 9}}, [{'e.x': 2}]), JSON.stringify(o2));
console.log(update(o2, {$set: {'a.$.x': 7}}, undefined, {'a.x': 1}), JSON.stringify(o2));
