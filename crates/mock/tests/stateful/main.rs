//! The stateful areas over HTTP, through the project's reference client: what one action
//! stores, another reads back; each modelled business code produced by its trigger; the
//! consumers' flows end to end. One module per area of the mock's world.

mod world;

mod identity_center;
mod member_email;
mod member_login;
mod policies;
mod services;
mod shared_clock;
mod sharing;
