# The Terraform provider (tencentcloudstack/tencentcloud) against `tco-harness mock`: an
# organization and a unit under its root, read back through outputs. run.sh beside this file
# sets the environment (credentials, TENCENTCLOUD_DOMAIN, TENCENTCLOUD_PROTOCOL=http) and says
# what was tried.
terraform {
  required_providers {
    tencentcloud = {
      source = "tencentcloudstack/tencentcloud"
    }
  }
}

# Credentials, domain and scheme come from the environment (run.sh).
provider "tencentcloud" {
  region = "ap-guangzhou"
}

resource "tencentcloud_organization_instance" "org" {}

resource "tencentcloud_organization_org_node" "engineering" {
  name           = "engineering"
  parent_node_id = tencentcloud_organization_instance.org.root_node_id
  remark         = "made by terraform against tco-harness mock"
}

output "org_id" {
  value = tencentcloud_organization_instance.org.org_id
}

output "host_uin" {
  value = tencentcloud_organization_instance.org.host_uin
}

output "root_node_id" {
  value = tencentcloud_organization_instance.org.root_node_id
}

output "engineering_node_id" {
  value = tencentcloud_organization_org_node.engineering.id
}
