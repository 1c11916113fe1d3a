//! Serving: the axum app, the accept loop, the in-process [`MockServer`] and the standalone
//! [`serve`].
//!
//! The accept loop is our own (hyper-util's connection builder) rather than `axum::serve`, for
//! two reasons: a fault rule may drop a connection without answering, which needs a handle on
//! the connection from inside the request handler; and connections are bounded
//! ([`crate::connections`]): a connection must send its first byte within the header timeout
//! (hyper's own header timeout starts only once the HTTP version is known, and the version
//! sniffing waits for bytes without limit), send its headers within it, and not stay idle
//! longer between requests.

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::response::Response;
use axum::Router;
use futures_util::future::Either;
use futures_util::FutureExt;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::TcpListener;
use tokio::sync::{oneshot, Notify};
use tokio::task::JoinHandle;
use tower::ServiceExt;
use tower_http::catch_panic::CatchPanicLayer;

use crate::admin::{self, AdminAccess};
use crate::app::App;
use crate::config::{Account, Config};
use crate::connections::{Admitted, Connections, InFlight};
use crate::envelope::{
    failure_bytes, new_request_id, respond_bytes, success_bytes, success_json_bytes, ApiError,
};
use crate::faults::FaultRule;
use crate::gate::{self, Facts, Reply};
use crate::journal::{JournalEntry, STATUS_DROPPED};
use crate::limiter::{Algorithm, LimitOverrides};
use crate::limits::{KeyMode, LimitModel, SourceIp};
use crate::overrides::{self, Origin};
use crate::state::{Members, TaskPolicy, World};
use tco_clock::{Clock, SystemClock};

/// How long a stopping server waits for requests in flight.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// The application: the admin surface under `/_mock/`, the API everywhere else (the gate
/// refuses paths other than `/` with the envelope), and a panic turned into `InternalError`.
fn router(app: Arc<App>) -> Router {
    Router::new()
        .nest("/_mock", admin::routes(app.clone()))
        .fallback(api)
        .with_state(app)
        .layer(CatchPanicLayer::custom(panic_response))
}

/// A panic anywhere in a handler still answers with the envelope.
fn panic_response(_panic: Box<dyn std::any::Any + Send + 'static>) -> Response {
    tracing::error!("a request handler panicked; answered InternalError");
    let error = ApiError::new("InternalError", "The mock hit an unexpected condition.");
    respond_bytes(failure_bytes(&error, &new_request_id()))
}

/// One API request reached through the router (the admin surface's fallback, or a router
/// used without our accept loop): what the connection knows comes in the extensions.
async fn api(State(app): State<Arc<App>>, req: Request) -> Response {
    let connection = req.extensions().get::<ConnectionHandle>().cloned();
    let source_ip = req.extensions().get::<SourceIp>().copied();
    answer(&app, req, connection, source_ip).await
}

/// Whether a path belongs to the admin surface's part of the router. Every other path reaches
/// the router's fallback, [`api`], which the accept loop calls directly instead.
fn routed(path: &str) -> bool {
    path.starts_with("/_mock")
}

/// An API request served straight from the connection, as the router's fallback would serve
/// it, panics included ([`panic_response`]), without the router's matching, boxing and
/// extensions per request.
async fn api_direct(
    app: Arc<App>,
    req: Request,
    connection: ConnectionHandle,
    source_ip: SourceIp,
) -> Result<Response, std::convert::Infallible> {
    let answering = answer(&app, req, Some(connection), Some(source_ip));
    Ok(std::panic::AssertUnwindSafe(answering)
        .catch_unwind()
        .await
        .unwrap_or_else(panic_response))
}

/// One API request: through the gate, into the journal, out as the envelope.
async fn answer(
    app: &App,
    req: Request,
    connection: Option<ConnectionHandle>,
    source_ip: Option<SourceIp>,
) -> Response {
    let started = Instant::now();
    let at_millis = app.clock.now_millis();
    let request_id = new_request_id();
    let is_connect = req.method() == axum::http::Method::CONNECT;
    let mut facts = Facts {
        method: req.method().as_str().to_string(),
        arrived_millis: at_millis,
        ..Facts::default()
    };
    let outcome = gate::run(app, req, source_ip, &mut facts).await;
    let close_connection = facts.close_connection;
    let (status, body) = match outcome {
        Ok(Reply::Success(Members::Tree(members))) => {
            ("OK".to_string(), success_bytes(members, &request_id))
        }
        Ok(Reply::Success(Members::Json(members))) => {
            ("OK".to_string(), success_json_bytes(members, &request_id))
        }
        Err(error) => (error.code.clone(), failure_bytes(&error, &request_id)),
        Ok(Reply::Drop) => {
            let entry = journal_entry(facts, STATUS_DROPPED, request_id, started);
            app.journal.record(entry);
            return drop_connection(connection).await;
        }
    };
    // What RUST_LOG=debug shows per request: never the signature or the key.
    tracing::debug!(
        method = %facts.method,
        action = %facts.action,
        version = %facts.version,
        status = %status,
        request_id = %request_id,
        "answered"
    );
    app.journal
        .record(journal_entry(facts, &status, request_id, started));
    let mut response = respond_bytes(body);
    if is_connect {
        // A 2xx answer to CONNECT carries no body (RFC 9110 §9.3.6), so the envelope goes out
        // with the one status that says the method is refused; the connection is not tunnelled.
        *response.status_mut() = axum::http::StatusCode::METHOD_NOT_ALLOWED;
    }
    if close_connection || is_connect {
        // hyper closes the connection once this answer is written.
        response.headers_mut().insert(
            axum::http::header::CONNECTION,
            axum::http::HeaderValue::from_static("close"),
        );
    }
    response
}

fn journal_entry(facts: Facts, status: &str, request_id: String, started: Instant) -> JournalEntry {
    JournalEntry {
        at_millis: facts.arrived_millis,
        method: facts.method,
        action: facts.action,
        version: facts.version,
        region: facts.region,
        secret_id: facts.secret_id,
        sign_method: facts.sign_method,
        params: facts.params,
        params_truncated: facts.params_truncated,
        status: status.to_string(),
        request_id,
        latency_micros: u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX),
    }
}

/// Lets a request close its own connection without an answer.
#[derive(Clone)]
struct ConnectionHandle(Arc<Notify>);

/// Closes the connection: the connection task drops it, which drops this future too. Without
/// a handle (not served by our loop), a body that fails makes hyper abort the connection.
async fn drop_connection(connection: Option<ConnectionHandle>) -> Response {
    match connection {
        Some(ConnectionHandle(kill)) => {
            kill.notify_one();
            std::future::pending().await
        }
        None => {
            let failing = futures_util::stream::once(async {
                Err::<bytes::Bytes, io::Error>(io::Error::other("fault: connection dropped"))
            });
            Response::new(Body::from_stream(failing))
        }
    }
}

/// Accepts connections until `shutdown` resolves, then lets requests in flight finish.
pub(crate) async fn run(
    listener: TcpListener,
    app: Arc<App>,
    shutdown: impl Future<Output = ()>,
) -> io::Result<()> {
    let header_timeout = app.header_timeout;
    let connections = Connections::new(app.max_connections);
    let router = router(app.clone());
    let mut builder = auto::Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(header_timeout);
    let builder = Arc::new(builder);
    let graceful = GracefulShutdown::new();
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, peer)) => match connections.admit() {
                    Some(admitted) => {
                        let serving = Serving { app: &app, router: &router, builder: &builder, graceful: &graceful, header_timeout };
                        serving.spawn(stream, admitted, SourceIp(peer.ip()));
                    }
                    // Every connection is busy with a request: this one is closed unanswered.
                    None => drop(stream),
                },
                // Out of file descriptors before the bound: close the oldest idle connection
                // and accept again at once; anything else, wait a little rather than spin.
                Err(e) => {
                    let freed = out_of_descriptors(&e) && connections.evict_oldest_idle();
                    if !freed {
                        tracing::warn!("accept failed: {e}");
                    }
                    let pause = if freed { 1 } else { 20 };
                    tokio::time::sleep(Duration::from_millis(pause)).await;
                }
            },
            () = &mut shutdown => break,
        }
    }
    drop(listener);
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(SHUTDOWN_GRACE) => {}
    }
    Ok(())
}

/// EMFILE or ENFILE: the process or the system has no file descriptor left.
fn out_of_descriptors(e: &io::Error) -> bool {
    cfg!(unix) && matches!(e.raw_os_error(), Some(23 | 24))
}

/// What serving one connection needs from the accept loop.
struct Serving<'a> {
    app: &'a Arc<App>,
    router: &'a Router,
    builder: &'a Arc<auto::Builder<TokioExecutor>>,
    graceful: &'a GracefulShutdown,
    header_timeout: Duration,
}

impl Serving<'_> {
    /// Serves the connection on its own task until the client closes it, a timeout or a fault
    /// closes it, or it is evicted to make room for a newer one.
    fn spawn(self, stream: tokio::net::TcpStream, admitted: Admitted, source_ip: SourceIp) {
        let _ = stream.set_nodelay(true);
        let kill = admitted.kill.clone();
        let handle = ConnectionHandle(kill.clone());
        let router = self.router.clone();
        let app = self.app.clone();
        let in_flight = admitted.in_flight.clone();
        let service = hyper::service::service_fn(move |req: Request<hyper::body::Incoming>| {
            let busy = InFlight::start(&in_flight);
            let mut req = req.map(Body::new);
            let answer = if routed(req.uri().path()) {
                req.extensions_mut().insert(handle.clone());
                req.extensions_mut().insert(source_ip);
                Either::Left(router.clone().oneshot(req))
            } else {
                // Boxed: the gate's future is large and hyper moves the service's future more
                // than once; boxing saved 2 % of the instructions per request (callgrind).
                Either::Right(Box::pin(api_direct(
                    app.clone(),
                    req,
                    handle.clone(),
                    source_ip,
                )))
            };
            async move {
                let response = answer.await;
                drop(busy);
                response
            }
        });
        let builder = self.builder.clone();
        let watcher = self.graceful.watcher();
        let header_timeout = self.header_timeout;
        tokio::spawn(async move {
            let _admitted = admitted;
            // Dropping the connection future closes the socket without writing anything.
            tokio::select! {
                first = first_byte(&stream, header_timeout) => if !first {
                    return;
                },
                () = kill.notified() => return,
            }
            let connection = builder.serve_connection(TokioIo::new(stream), service);
            let connection = watcher.watch(connection.into_owned());
            tokio::select! {
                _ = connection => {}
                () = kill.notified() => {}
            }
        });
    }
}

/// Whether the client sent a byte within `timeout` (without consuming it).
async fn first_byte(stream: &tokio::net::TcpStream, timeout: Duration) -> bool {
    let mut byte = [0u8; 1];
    matches!(
        tokio::time::timeout(timeout, stream.peek(&mut byte)).await,
        Ok(Ok(n)) if n > 0
    )
}

/// Serves the mock on `listener` until `shutdown` resolves (the CLI passes SIGINT/SIGTERM),
/// with the system clock. The admin surface is open when the listener is on loopback, else it
/// needs the config's admin token (and is off without one).
pub async fn serve(
    listener: TcpListener,
    config: Config,
    shutdown: impl Future<Output = ()>,
) -> io::Result<()> {
    config
        .validate()
        .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e.to_string()))?;
    let addr = listener.local_addr()?;
    let admin = AdminAccess::for_listener(&addr, config.admin_token.as_deref());
    let app = Arc::new(App::new(&config, Arc::new(SystemClock), admin));
    run(listener, app, shutdown).await
}

/// A mock Organization API running inside the test process, in the style of `wiremock`.
///
/// Listens on `127.0.0.1` at a free port; stops when dropped.
pub struct MockServer {
    addr: SocketAddr,
    app: Arc<App>,
    /// Written on shutdown (and at the interval while running), when set.
    state_file: Option<std::path::PathBuf>,
    writer: Option<crate::persist::StateWriter>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<io::Result<()>>>,
}

impl std::fmt::Debug for MockServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MockServer")
            .field("addr", &self.addr)
            .finish()
    }
}

impl MockServer {
    /// Starts a mock with the default configuration.
    pub async fn start() -> Self {
        Self::builder().start().await
    }

    pub fn builder() -> MockServerBuilder {
        MockServerBuilder::default()
    }

    /// `http://127.0.0.1:PORT`.
    pub fn uri(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn address(&self) -> SocketAddr {
        self.addr
    }

    /// `127.0.0.1:PORT`: the Host header a client signs.
    pub fn host(&self) -> String {
        self.addr.to_string()
    }

    /// The accounts the mock serves, the default one first.
    pub fn accounts(&self) -> &[Account] {
        &self.app.accounts
    }

    /// The default account's credentials (see [`crate::config`] for where they come from).
    pub fn default_credentials(&self) -> tco_sign::Credentials {
        self.app.accounts[0].credentials()
    }

    /// The requests received so far (the newest ones, up to the journal capacity), oldest first.
    pub fn journal(&self) -> Vec<JournalEntry> {
        self.app.journal.entries()
    }

    /// The calls received for `action` (as the request named it), oldest first, each with
    /// its parameters (never credentials) and how it was answered; refused calls included
    /// (filter on `status == "OK"` for the accepted ones). Bounded by the journal capacity.
    pub fn received(&self, action: &str) -> Vec<JournalEntry> {
        self.app.journal.for_action(action)
    }

    /// Forgets all state, rate-limit counters and the journal; configuration stays.
    pub fn reset(&self) {
        self.app.reset();
    }

    /// The stateful world, to arrange or inspect state directly.
    pub fn world(&self) -> &World {
        &self.app.world
    }

    /// Sets (or with `None` removes) the limit of one action name, in every version.
    pub fn set_rate_limit(&self, action: &str, limit: Option<u32>) {
        self.app.limiter.set_action(action, limit);
    }

    /// Sets (or with `None` removes) the limit that replaces every documented one.
    pub fn set_rate_limit_default(&self, limit: Option<u32>) {
        self.app.limiter.set_default(limit);
    }

    pub fn set_algorithm(&self, algorithm: Algorithm) {
        self.app.limiter.set_algorithm(algorithm);
    }

    pub fn rate_limits(&self) -> LimitOverrides {
        self.app.limiter.overrides()
    }

    /// The per-action key and the layers in force.
    pub fn limit_model(&self) -> LimitModel {
        self.app.limiter.model()
    }

    /// Replaces the per-action key and the layers; counters start afresh.
    pub fn set_limit_model(&self, model: LimitModel) {
        self.app.limiter.set_model(model);
    }

    /// Replaces the fault rules.
    pub fn set_faults(&self, rules: Vec<FaultRule>) {
        self.app.faults.set_rules(rules);
    }

    pub(crate) fn app(&self) -> &Arc<App> {
        &self.app
    }

    /// Checks the expectations of the overrides added with [`crate::Override::mount`] so far.
    ///
    /// # Panics
    /// When one is unmet, naming the action, the expected and the actual count of each.
    pub fn verify(&self) {
        overrides::assert_met(&self.app.overrides.unmet(Origin::InProcess));
    }

    /// Removes every override (expectations of [`crate::Override::mount`]ed ones are checked
    /// first, as by [`MockServer::verify`]).
    pub fn reset_overrides(&self) {
        self.verify();
        self.app.overrides.clear(None);
    }

    /// Every override mounted, oldest first, as `GET /_mock/overrides` shows them: match,
    /// answer, calls matched and answered, expectation and whether it is met.
    pub fn overrides(&self) -> Vec<serde_json::Value> {
        self.app.overrides.views()
    }

    /// When tasks started from now on complete, and whether they fail.
    pub fn set_task_policy(&self, policy: TaskPolicy) {
        self.app.world.set_task_policy(policy);
    }

    pub fn task_policy(&self) -> TaskPolicy {
        self.app.world.task_policy()
    }

    /// Stops accepting and waits for requests in flight (up to a few seconds).
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
        self.save_state();
    }

    /// The whole world as a document (a snapshot), as `GET /_mock/state` answers it.
    pub fn export_state(&self) -> crate::state::WorldDoc {
        self.app.world.export()
    }

    /// Replaces the whole world (accounts, limits and the task policy stay configured).
    pub fn import_state(&self, doc: &crate::state::WorldDoc) {
        self.app.world.import(doc);
    }

    /// Writes the state file now, if the mock keeps one.
    fn save_state(&mut self) {
        if let (Some(writer), Some(path)) = (self.writer.take(), &self.state_file) {
            if let Err(e) = writer.finish(&self.app.world) {
                tracing::warn!("cannot write the state file {}: {e}", path.display());
            }
        }
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
            self.save_state();
        }
        // Once only: `shutdown` drops the server too.
        let unmet = self.app.overrides.unmet(Origin::InProcess);
        self.app.overrides.clear(Some(Origin::InProcess));
        overrides::assert_met(&unmet);
    }
}

/// Configures a [`MockServer`] before it starts.
#[derive(Default)]
pub struct MockServerBuilder {
    config: Config,
    clock: Option<Arc<dyn Clock>>,
    world: crate::persist::WorldOptions,
}

impl MockServerBuilder {
    /// Starts from a whole configuration (e.g. one loaded from TOML).
    pub fn config(mut self, config: Config) -> Self {
        self.config = config;
        self
    }

    /// Adds an account (one with the default uin replaces the default account).
    pub fn account(mut self, account: Account) -> Self {
        self.config.accounts.push(account);
        self
    }

    /// Replaces every documented limit with `limit` requests per second.
    pub fn rate_limit_default(mut self, limit: u32) -> Self {
        self.config.limits.default = Some(limit);
        self
    }

    /// The limit of one action name, in every version.
    pub fn rate_limit(mut self, action: &str, limit: u32) -> Self {
        self.config.limits.actions.insert(action.to_string(), limit);
        self
    }

    /// What per-action budgets are keyed on (default [`KeyMode::Documented`]).
    pub fn limit_key(mut self, key: KeyMode) -> Self {
        self.config.limit_model.key = key;
        self
    }

    /// Turns on the limit per main account across its sub-accounts
    /// (`RequestLimitExceeded.UinLimitExceeded`).
    pub fn main_account_limit(mut self, per_second: u32) -> Self {
        self.config.limit_model.layers.main_account = Some(per_second);
        self
    }

    /// Turns on the limit per main account and access region
    /// (`RequestLimitExceeded.GlobalRegionUinLimitExceeded`).
    pub fn main_account_region_limit(mut self, per_second: u32) -> Self {
        self.config.limit_model.layers.main_account_region = Some(per_second);
        self
    }

    /// Turns on the limit per source IP (`RequestLimitExceeded.IPLimitExceeded`).
    pub fn source_ip_limit(mut self, per_second: u32) -> Self {
        self.config.limit_model.layers.source_ip = Some(per_second);
        self
    }

    pub fn algorithm(mut self, algorithm: Algorithm) -> Self {
        self.config.algorithm = algorithm;
        self
    }

    /// The clock the mock reads for everything: signatures' skew window, the limiter's
    /// windows, task timers, the times in its answers and the journal. Default: the system
    /// clock. Give it a clone of the [`tco_clock::ManualClock`] the test's client signs with,
    /// and advancing that one clock moves both sides.
    pub fn clock(mut self, clock: impl Clock + 'static) -> Self {
        self.clock = Some(Arc::new(clock));
        self
    }

    pub fn fault(mut self, rule: FaultRule) -> Self {
        self.config.faults.push(rule);
        self
    }

    /// Makes fault rolls repeatable.
    pub fn fault_seed(mut self, seed: u64) -> Self {
        self.config.seed = Some(seed);
        self
    }

    /// When asynchronous tasks (role assignments, provisioning, user synchronization)
    /// complete, and whether they fail; by default on the second poll of their status.
    pub fn task_policy(mut self, policy: TaskPolicy) -> Self {
        self.config.tasks = policy;
        self
    }

    pub fn journal_capacity(mut self, capacity: usize) -> Self {
        self.config.journal_capacity = capacity;
        self
    }

    /// How long a request's body may take to arrive once its headers are in (default
    /// [`crate::config::BODY_READ_TIMEOUT`]); a body not in by then is refused with
    /// `InvalidRequest` and its connection closed.
    pub fn body_timeout(mut self, timeout: Duration) -> Self {
        self.config.body_timeout = timeout;
        self
    }

    /// How long a connection may take to send its request headers, first byte included, and
    /// may stay idle between requests (default [`crate::config::HEADER_TIMEOUT`]); then it is
    /// closed without an answer.
    pub fn header_timeout(mut self, timeout: Duration) -> Self {
        self.config.header_timeout = timeout;
        self
    }

    /// How many connections may be open at once (default
    /// [`crate::connections::DEFAULT_MAX_CONNECTIONS`]); at the bound, the oldest connection
    /// with no request in progress is closed to make room for a new one.
    pub fn max_connections(mut self, max: usize) -> Self {
        self.config.max_connections = max;
        self
    }

    /// With `true`, TC3 signatures made the Node.js SDK's way (the scope's service taken from
    /// the endpoint, the signed host without its port) are refused as the service refuses
    /// them; by default they are accepted when they verify with the account's key.
    pub fn strict_signatures(mut self, strict: bool) -> Self {
        self.config.strict_signatures = strict;
        self
    }

    /// Starts the mock on `127.0.0.1` at a free port.
    ///
    /// # Panics
    /// When the configuration is invalid (the message names the problem) or no port can be
    /// bound: in a test, both are defects of the test setup.
    /// Starts with this world; [`MockServer::reset`] returns to it.
    pub fn seed(mut self, doc: crate::state::WorldDoc) -> Self {
        self.world.seed = Some(doc);
        self
    }

    /// Starts with the world document in `path` (TOML or JSON, by extension).
    ///
    /// # Panics
    /// If the document is invalid, with one line naming the place, as for an invalid config.
    pub fn seed_file(self, path: impl AsRef<std::path::Path>) -> Self {
        match crate::state::WorldDoc::load(path.as_ref()) {
            Ok(doc) => self.seed(doc),
            Err(e) => panic!("invalid seed: {e}"),
        }
    }

    /// Keeps the world in `path`: loaded at start if it exists (over the seed), written at
    /// [`MockServerBuilder::state_interval`] when changed and on shutdown or drop.
    pub fn state_file(mut self, path: impl Into<std::path::PathBuf>) -> Self {
        self.world.state_file = Some(path.into());
        self
    }

    /// How often the state file is written at most (5 s by default).
    pub fn state_interval(mut self, interval: Duration) -> Self {
        self.world.state_interval = interval;
        self
    }

    pub async fn start(self) -> MockServer {
        if let Err(e) = self.config.validate() {
            panic!("invalid mock configuration: {e}");
        }
        let listener = TcpListener::bind(("127.0.0.1", 0))
            .await
            .unwrap_or_else(|e| panic!("cannot bind a port for the mock: {e}"));
        let addr = listener
            .local_addr()
            .unwrap_or_else(|e| panic!("cannot read the mock's address: {e}"));
        let clock = self.clock.unwrap_or_else(|| Arc::new(SystemClock));
        let app = Arc::new(App::new(&self.config, clock, AdminAccess::Open));
        if let Err(e) = self.world.load_into(&app.world) {
            panic!("invalid mock world: {e}");
        }
        let state_file = self.world.state_file.clone();
        let writer = state_file.clone().map(|path| {
            crate::persist::StateWriter::spawn(app.clone(), path, self.world.state_interval)
        });
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(run(listener, app.clone(), async move {
            let _ = stopped.await;
        }));
        MockServer {
            addr,
            app,
            state_file,
            writer,
            stop: Some(stop),
            task: Some(task),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::routing::get;
    use http_body_util::BodyExt;

    #[tokio::test]
    async fn a_panicking_handler_still_answers_with_the_envelope() {
        async fn boom() -> Response {
            panic!("handler defect")
        }
        let app = Router::new()
            .route("/", get(boom))
            .layer(CatchPanicLayer::custom(panic_response));
        let request = Request::get("/").body(Body::empty()).unwrap();
        let response = app.oneshot(request).await.unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["content-type"], "application/json");
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        let body: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(body["Response"]["Error"]["Code"], "InternalError");
        assert!(body["Response"]["RequestId"].is_string());
    }
}
