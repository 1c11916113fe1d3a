//! A mock with an organization and a few members, and a client per account.

use serde_json::{json, Value};
use tco_client::{Client, Error};
use tco_mock::Account;
use tco_mock::{ManualClock, MockServer, MockServerBuilder};

/// Accounts besides the mock's default one (the organization's manager).
pub const ALICE: u64 = 300_000_000_001;
pub const BOB: u64 = 300_000_000_002;
pub const OUTSIDER: u64 = 300_000_000_003;

pub fn account(uin: u64) -> Account {
    Account::new(uin, format!("AKIDstateful{uin}"), format!("key-{uin}"))
        .with_name(format!("account-{uin}"))
}

/// A running mock, the manager's client, and the accounts' clients.
pub struct World {
    pub mock: MockServer,
    pub host: Client,
    pub host_uin: u64,
    /// The clock the clients sign and wait on when the mock shares one (else the system's).
    clock: Option<ManualClock>,
}

impl World {
    /// A mock with ALICE, BOB and OUTSIDER registered, and no organization yet.
    pub async fn empty() -> World {
        World::empty_from(MockServer::builder()).await
    }

    /// Like [`World::empty`], on a mock from `builder` (with a clock, a task policy…).
    pub async fn empty_from(builder: MockServerBuilder) -> World {
        World::start(builder, None).await
    }

    /// Like [`World::empty_from`], the mock and every client on one `clock`.
    pub async fn empty_on(builder: MockServerBuilder, clock: &ManualClock) -> World {
        World::start(builder.clock(clock.clone()), Some(clock.clone())).await
    }

    async fn start(builder: MockServerBuilder, clock: Option<ManualClock>) -> World {
        let mock = [ALICE, BOB, OUTSIDER]
            .into_iter()
            .fold(builder, |b, uin| b.account(account(uin)))
            .start()
            .await;
        let host = client(&mock, mock.default_credentials(), clock.as_ref());
        let host_uin = mock.accounts()[0].uin;
        World {
            mock,
            host,
            host_uin,
            clock,
        }
    }

    /// A mock whose manager has an organization with ALICE and BOB as invited members (in the
    /// root unit); OUTSIDER stays outside.
    pub async fn with_org() -> World {
        World::empty().await.add_org().await
    }

    /// Like [`World::with_org`], on a mock from `builder`.
    pub async fn with_org_from(builder: MockServerBuilder) -> World {
        World::empty_from(builder).await.add_org().await
    }

    /// Like [`World::with_org_from`], the mock and every client on one `clock`.
    pub async fn with_org_on(builder: MockServerBuilder, clock: &ManualClock) -> World {
        World::empty_on(builder, clock).await.add_org().await
    }

    /// The manager creates the organization; ALICE and BOB join it.
    async fn add_org(self) -> World {
        let w = self;
        w.ok("CreateOrganization", json!({})).await;
        for (uin, name) in [(ALICE, "alice"), (BOB, "bob")] {
            w.ok(
                "InviteOrganizationMember",
                json!({"MemberUin": uin, "Name": name, "PolicyType": "Financial",
                       "PermissionIds": [1, 2], "NodeId": w.root().await}),
            )
            .await;
            let invitations = w
                .as_(uin)
                .call_json(
                    tco_client::Version::V2018_12_25,
                    "ListOrganizationInvitations",
                    json!({"Invited": 1, "Offset": 0, "Limit": 10}),
                )
                .await
                .expect("the invitee sees its invitation");
            let id = invitations["Invitations"][0]["Id"].clone();
            w.as_(uin)
                .call_json(
                    tco_client::Version::V2018_12_25,
                    "AcceptOrganizationInvitation",
                    json!({ "Id": id }),
                )
                .await
                .expect("the invitee accepts");
        }
        w
    }

    /// The client of a registered account.
    pub fn as_(&self, uin: u64) -> Client {
        client(&self.mock, account(uin).credentials(), self.clock.as_ref())
    }

    /// The organization's root unit.
    pub async fn root(&self) -> u64 {
        let org = self.ok("DescribeOrganization", json!({})).await;
        org["RootNodeId"].as_u64().expect("a root unit")
    }

    /// A 2021-03-31 call as the manager, through `call_json`; its `Response` without RequestId.
    pub async fn call(&self, action: &str, params: Value) -> Result<Value, Error> {
        self.host
            .call_json(tco_client::Version::V2021_03_31, action, params)
            .await
    }

    /// Like [`World::call`], expecting success.
    pub async fn ok(&self, action: &str, params: Value) -> Value {
        self.call(action, params.clone())
            .await
            .unwrap_or_else(|e| panic!("{action} {params} failed: {e}"))
    }

    /// Like [`World::call`], expecting the business error `code`.
    pub async fn fails(&self, action: &str, params: Value, code: &str) {
        match self.call(action, params.clone()).await {
            Ok(body) => panic!("{action} {params} succeeded, expected {code}: {body}"),
            Err(e) => assert_eq!(e.code(), Some(code), "{action} {params}: {e}"),
        }
    }
}

/// A client of `mock` signing as `credentials`, on `clock` (as clock and sleeper) if given.
pub fn client(
    mock: &MockServer,
    credentials: tco_sign::Credentials,
    clock: Option<&ManualClock>,
) -> Client {
    let builder = Client::builder()
        .endpoint(mock.uri())
        .credentials(credentials);
    match clock {
        Some(clock) => builder.clock(clock.clone()).sleeper(clock.clone()),
        None => builder,
    }
    .build()
    .expect("a client for the mock")
}

#[tokio::test]
async fn the_starting_world_has_two_members_and_an_outsider() {
    let w = World::with_org().await;
    let members = w
        .ok(
            "DescribeOrganizationMembers",
            json!({"Offset": 0, "Limit": 50}),
        )
        .await;
    let mut uins: Vec<u64> = members["Items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["MemberUin"].as_u64().unwrap())
        .collect();
    uins.sort_unstable();
    assert_eq!(uins, [ALICE, BOB]);
    let outsider = w
        .as_(OUTSIDER)
        .call_json(
            tco_client::Version::V2021_03_31,
            "DescribeOrganization",
            json!({}),
        )
        .await
        .unwrap_err();
    assert_eq!(
        outsider.code(),
        Some("ResourceNotFound.OrganizationNotExist")
    );
    assert_eq!(w.host_uin, tco_mock::DEFAULT_UIN);
    w.fails(
        "DeleteOrganization",
        json!({}),
        "FailedOperation.OrganizationNotEmpty",
    )
    .await;
}
