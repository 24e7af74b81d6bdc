// Generates apps/registry/sample/agencies-2565.csv — the sample DGA 2565 (2022)
// survey cohort: 324 department-level agencies, 1,550 regional units and
// 2 special local administrations (1,876 rows).
//
// Usage (from the repository root):  node apps/registry/sample/generate-cohort-2565.mjs
//
// Plain Node.js ES module, no dependencies. Output is deterministic: the
// same input lists always produce the same bytes (no randomness, no clock).

import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const referenceDir = join(here, '..', 'src', 'reference');
const outFile = join(here, 'agencies-2565.csv');

const EFFECTIVE_FROM = '2022-05-01';
const STATUS = 'active';

const EXPECTED = { department: 324, regional_unit: 1550, special_local: 2, total: 1876 };

// org_type values
const GOV = 'government_agency';
const SOE = 'state_enterprise';
const PUB = 'public_organization'; // องค์การมหาชน and other autonomous state agencies set up by their own Act
const IND = 'independent_body';

const BKK = 'TH-10';

// ---------------------------------------------------------------------------
// 1. Department-level agencies (หน่วยงานระดับกรมหรือเทียบเท่า).
//    Codes DEP-001.. are assigned in list order. `key` is only set on the
//    agencies that own regional units (referenced in section 2).
//    ministry: '' = not under a ministry. province: '' = headquarters not certain.
// ---------------------------------------------------------------------------
const DEPARTMENTS = [
  // --- สำนักนายกรัฐมนตรี (OPM) ---
  { th: 'สำนักงานปลัดสำนักนายกรัฐมนตรี', en: 'Office of the Permanent Secretary, Office of the Prime Minister', type: GOV, ministry: 'OPM', province: BKK },
  { th: 'กรมประชาสัมพันธ์', en: 'The Government Public Relations Department', type: GOV, ministry: 'OPM', province: BKK },
  { th: 'สำนักงานคณะกรรมการคุ้มครองผู้บริโภค', en: 'Office of the Consumer Protection Board', type: GOV, ministry: 'OPM', province: BKK },
  { th: 'สำนักงานทรัพยากรน้ำแห่งชาติ', en: 'Office of the National Water Resources', type: GOV, ministry: 'OPM', province: BKK },
  { th: 'บริษัท อสมท จำกัด (มหาชน)', en: 'MCOT Public Company Limited', type: SOE, ministry: 'OPM', province: BKK },

  // --- Agencies reporting directly to the Prime Minister (not under a ministry) ---
  { th: 'สำนักเลขาธิการนายกรัฐมนตรี', en: 'Secretariat of the Prime Minister', type: GOV, ministry: '', province: BKK },
  { th: 'สำนักเลขาธิการคณะรัฐมนตรี', en: 'Secretariat of the Cabinet', type: GOV, ministry: '', province: BKK },
  { th: 'สำนักข่าวกรองแห่งชาติ', en: 'National Intelligence Agency', type: GOV, ministry: '', province: BKK },
  { th: 'สำนักงบประมาณ', en: 'Bureau of the Budget', type: GOV, ministry: '', province: BKK },
  { th: 'สำนักงานสภาความมั่นคงแห่งชาติ', en: 'Office of the National Security Council', type: GOV, ministry: '', province: BKK },
  { th: 'สำนักงานคณะกรรมการกฤษฎีกา', en: 'Office of the Council of State', type: GOV, ministry: '', province: BKK },
  { th: 'สำนักงานคณะกรรมการข้าราชการพลเรือน', en: 'Office of the Civil Service Commission', type: GOV, ministry: '', province: 'TH-12' },
  { th: 'สำนักงานสภาพัฒนาการเศรษฐกิจและสังคมแห่งชาติ', en: 'Office of the National Economic and Social Development Council', type: GOV, ministry: '', province: BKK },
  { th: 'สำนักงานคณะกรรมการพัฒนาระบบราชการ', en: 'Office of the Public Sector Development Commission', type: GOV, ministry: '', province: BKK },
  { th: 'สำนักงานคณะกรรมการส่งเสริมการลงทุน', en: 'Office of the Board of Investment', type: GOV, ministry: '', province: BKK },
  { th: 'สำนักงานตำรวจแห่งชาติ', en: 'Royal Thai Police', type: GOV, ministry: '', province: BKK },
  { th: 'สำนักงานพระพุทธศาสนาแห่งชาติ', en: 'National Office of Buddhism', type: GOV, ministry: '', province: 'TH-73' },
  { th: 'สำนักงานราชบัณฑิตยสภา', en: 'Office of the Royal Society', type: GOV, ministry: '', province: BKK },
  { th: 'สำนักงานคณะกรรมการพิเศษเพื่อประสานงานโครงการอันเนื่องมาจากพระราชดำริ', en: 'Office of the Royal Development Projects Board', type: GOV, ministry: '', province: BKK },
  { th: 'กองอำนวยการรักษาความมั่นคงภายในราชอาณาจักร', en: 'Internal Security Operations Command', type: GOV, ministry: '', province: BKK },
  { th: 'ศูนย์อำนวยการบริหารจังหวัดชายแดนภาคใต้', en: 'Southern Border Provinces Administrative Centre', type: GOV, ministry: '', province: 'TH-95' },
  { th: 'สำนักงานป้องกันและปราบปรามการฟอกเงิน', en: 'Anti-Money Laundering Office', type: GOV, ministry: '', province: BKK },
  { th: 'สำนักงานคณะกรรมการนโยบายเขตพัฒนาพิเศษภาคตะวันออก', en: 'Eastern Economic Corridor Office of Thailand', type: PUB, ministry: '', province: BKK },
  { th: 'สำนักงานพัฒนารัฐบาลดิจิทัล (องค์การมหาชน)', en: 'Digital Government Development Agency (Public Organization)', type: PUB, ministry: '', province: BKK },
  { th: 'สำนักงานรับรองมาตรฐานและประเมินคุณภาพการศึกษา (องค์การมหาชน)', en: 'Office for National Education Standards and Quality Assessment (Public Organization)', type: PUB, ministry: '', province: BKK },
  { th: 'สถาบันคุณวุฒิวิชาชีพ (องค์การมหาชน)', en: 'Thailand Professional Qualification Institute (Public Organization)', type: PUB, ministry: '', province: BKK },
  { th: 'สำนักงานส่งเสริมการจัดประชุมและนิทรรศการ (องค์การมหาชน)', en: 'Thailand Convention and Exhibition Bureau (Public Organization)', type: PUB, ministry: '', province: BKK },
  { th: 'สำนักงานบริหารและพัฒนาองค์ความรู้ (องค์การมหาชน)', en: 'Office of Knowledge Management and Development (Public Organization)', type: PUB, ministry: '', province: BKK },
  { th: 'สำนักงานส่งเสริมเศรษฐกิจสร้างสรรค์ (องค์การมหาชน)', en: 'Creative Economy Agency (Public Organization)', type: PUB, ministry: '', province: BKK },
  { th: 'สำนักงานส่งเสริมวิสาหกิจขนาดกลางและขนาดย่อม', en: 'Office of Small and Medium Enterprises Promotion', type: PUB, ministry: '', province: BKK },
  { th: 'สำนักงานกองทุนสนับสนุนการสร้างเสริมสุขภาพ', en: 'Thai Health Promotion Foundation', type: PUB, ministry: '', province: BKK },
  { th: 'สถาบันพระปกเกล้า', en: "King Prajadhipok's Institute", type: PUB, ministry: '', province: BKK },

  // --- กระทรวงกลาโหม (MOD) ---
  { th: 'สำนักงานปลัดกระทรวงกลาโหม', en: 'Office of the Permanent Secretary for Defence', type: GOV, ministry: 'MOD', province: BKK },
  { th: 'กองบัญชาการกองทัพไทย', en: 'Royal Thai Armed Forces Headquarters', type: GOV, ministry: 'MOD', province: BKK },
  { th: 'กองทัพบก', en: 'Royal Thai Army', type: GOV, ministry: 'MOD', province: BKK },
  { th: 'กองทัพเรือ', en: 'Royal Thai Navy', type: GOV, ministry: 'MOD', province: BKK },
  { th: 'กองทัพอากาศ', en: 'Royal Thai Air Force', type: GOV, ministry: 'MOD', province: BKK },
  { th: 'สถาบันเทคโนโลยีป้องกันประเทศ', en: 'Defence Technology Institute', type: PUB, ministry: 'MOD', province: '' },

  // --- กระทรวงการคลัง (MOF) ---
  { th: 'สำนักงานปลัดกระทรวงการคลัง', en: 'Office of the Permanent Secretary, Ministry of Finance', type: GOV, ministry: 'MOF', province: BKK },
  { th: 'กรมธนารักษ์', en: 'The Treasury Department', type: GOV, ministry: 'MOF', province: BKK },
  { key: 'CGD', th: 'กรมบัญชีกลาง', en: "The Comptroller General's Department", type: GOV, ministry: 'MOF', province: BKK },
  { th: 'กรมศุลกากร', en: 'The Customs Department', type: GOV, ministry: 'MOF', province: BKK },
  { th: 'กรมสรรพสามิต', en: 'The Excise Department', type: GOV, ministry: 'MOF', province: BKK },
  { th: 'กรมสรรพากร', en: 'The Revenue Department', type: GOV, ministry: 'MOF', province: BKK },
  { th: 'สำนักงานบริหารหนี้สาธารณะ', en: 'Public Debt Management Office', type: GOV, ministry: 'MOF', province: BKK },
  { th: 'สำนักงานคณะกรรมการนโยบายรัฐวิสาหกิจ', en: 'State Enterprise Policy Office', type: GOV, ministry: 'MOF', province: BKK },
  { th: 'สำนักงานเศรษฐกิจการคลัง', en: 'Fiscal Policy Office', type: GOV, ministry: 'MOF', province: BKK },
  { th: 'สำนักงานคณะกรรมการกำกับและส่งเสริมการประกอบธุรกิจประกันภัย', en: 'Office of Insurance Commission', type: PUB, ministry: 'MOF', province: BKK },
  { th: 'สำนักงานคณะกรรมการกำกับหลักทรัพย์และตลาดหลักทรัพย์', en: 'Securities and Exchange Commission', type: PUB, ministry: 'MOF', province: BKK },
  { th: 'กองทุนการออมแห่งชาติ', en: 'National Savings Fund', type: PUB, ministry: 'MOF', province: BKK },
  { th: 'กองทุนบำเหน็จบำนาญข้าราชการ', en: 'Government Pension Fund', type: PUB, ministry: 'MOF', province: BKK },
  { th: 'กองทุนเงินให้กู้ยืมเพื่อการศึกษา', en: 'Student Loan Fund', type: PUB, ministry: 'MOF', province: BKK },
  { th: 'ธนาคารออมสิน', en: 'Government Savings Bank', type: SOE, ministry: 'MOF', province: BKK },
  { th: 'ธนาคารอาคารสงเคราะห์', en: 'Government Housing Bank', type: SOE, ministry: 'MOF', province: BKK },
  { th: 'ธนาคารเพื่อการเกษตรและสหกรณ์การเกษตร', en: 'Bank for Agriculture and Agricultural Cooperatives', type: SOE, ministry: 'MOF', province: BKK },
  { th: 'ธนาคารพัฒนาวิสาหกิจขนาดกลางและขนาดย่อมแห่งประเทศไทย', en: 'Small and Medium Enterprise Development Bank of Thailand', type: SOE, ministry: 'MOF', province: BKK },
  { th: 'ธนาคารเพื่อการส่งออกและนำเข้าแห่งประเทศไทย', en: 'Export-Import Bank of Thailand', type: SOE, ministry: 'MOF', province: BKK },
  { th: 'ธนาคารอิสลามแห่งประเทศไทย', en: 'Islamic Bank of Thailand', type: SOE, ministry: 'MOF', province: BKK },
  { th: 'บรรษัทประกันสินเชื่ออุตสาหกรรมขนาดย่อม', en: 'Thai Credit Guarantee Corporation', type: SOE, ministry: 'MOF', province: BKK },
  { th: 'บรรษัทตลาดรองสินเชื่อที่อยู่อาศัย', en: 'Secondary Mortgage Corporation', type: SOE, ministry: 'MOF', province: BKK },
  { th: 'สำนักงานสลากกินแบ่งรัฐบาล', en: 'Government Lottery Office', type: SOE, ministry: 'MOF', province: 'TH-12' },
  { th: 'การยาสูบแห่งประเทศไทย', en: 'Tobacco Authority of Thailand', type: SOE, ministry: 'MOF', province: BKK },
  { th: 'ธนาคารกรุงไทย จำกัด (มหาชน)', en: 'Krung Thai Bank Public Company Limited', type: SOE, ministry: 'MOF', province: BKK },
  { th: 'บริษัท ธนารักษ์พัฒนาสินทรัพย์ จำกัด', en: 'Dhanarak Asset Development Company Limited', type: SOE, ministry: 'MOF', province: BKK },

  // --- กระทรวงการต่างประเทศ (MFA) ---
  { th: 'สำนักงานปลัดกระทรวงการต่างประเทศ', en: 'Office of the Permanent Secretary, Ministry of Foreign Affairs', type: GOV, ministry: 'MFA', province: BKK },
  { th: 'กรมการกงสุล', en: 'Department of Consular Affairs', type: GOV, ministry: 'MFA', province: BKK },
  { th: 'กรมยุโรป', en: 'Department of European Affairs', type: GOV, ministry: 'MFA', province: BKK },
  { th: 'กรมพิธีการทูต', en: 'Department of Protocol', type: GOV, ministry: 'MFA', province: BKK },
  { th: 'กรมเศรษฐกิจระหว่างประเทศ', en: 'Department of International Economic Affairs', type: GOV, ministry: 'MFA', province: BKK },
  { th: 'กรมสนธิสัญญาและกฎหมาย', en: 'Department of Treaties and Legal Affairs', type: GOV, ministry: 'MFA', province: BKK },
  { th: 'กรมสารนิเทศ', en: 'Department of Information', type: GOV, ministry: 'MFA', province: BKK },
  { th: 'กรมองค์การระหว่างประเทศ', en: 'Department of International Organizations', type: GOV, ministry: 'MFA', province: BKK },
  { th: 'กรมอเมริกาและแปซิฟิกใต้', en: 'Department of American and South Pacific Affairs', type: GOV, ministry: 'MFA', province: BKK },
  { th: 'กรมเอเชียตะวันออก', en: 'Department of East Asian Affairs', type: GOV, ministry: 'MFA', province: BKK },
  { th: 'กรมเอเชียใต้ ตะวันออกกลาง และแอฟริกา', en: 'Department of South Asian, Middle East and African Affairs', type: GOV, ministry: 'MFA', province: BKK },
  { th: 'กรมอาเซียน', en: 'Department of ASEAN Affairs', type: GOV, ministry: 'MFA', province: BKK },
  { th: 'กรมความร่วมมือระหว่างประเทศ', en: 'Thailand International Cooperation Agency', type: GOV, ministry: 'MFA', province: BKK },

  // --- กระทรวงการท่องเที่ยวและกีฬา (MOTS) ---
  { key: 'OPS_MOTS', th: 'สำนักงานปลัดกระทรวงการท่องเที่ยวและกีฬา', en: 'Office of the Permanent Secretary, Ministry of Tourism and Sports', type: GOV, ministry: 'MOTS', province: BKK },
  { th: 'กรมการท่องเที่ยว', en: 'Department of Tourism', type: GOV, ministry: 'MOTS', province: BKK },
  { th: 'กรมพลศึกษา', en: 'Department of Physical Education', type: GOV, ministry: 'MOTS', province: BKK },
  { th: 'มหาวิทยาลัยการกีฬาแห่งชาติ', en: 'Thailand National Sports University', type: GOV, ministry: 'MOTS', province: '' },
  { th: 'สำนักงานพัฒนาพื้นที่พิเศษเพื่อการท่องเที่ยวอย่างยั่งยืน (องค์การมหาชน)', en: 'Designated Areas for Sustainable Tourism Administration (Public Organization)', type: PUB, ministry: 'MOTS', province: BKK },
  { th: 'การท่องเที่ยวแห่งประเทศไทย', en: 'Tourism Authority of Thailand', type: SOE, ministry: 'MOTS', province: BKK },
  { th: 'การกีฬาแห่งประเทศไทย', en: 'Sports Authority of Thailand', type: SOE, ministry: 'MOTS', province: BKK },

  // --- กระทรวงการพัฒนาสังคมและความมั่นคงของมนุษย์ (MSDHS) ---
  { key: 'OPS_MSDHS', th: 'สำนักงานปลัดกระทรวงการพัฒนาสังคมและความมั่นคงของมนุษย์', en: 'Office of the Permanent Secretary, Ministry of Social Development and Human Security', type: GOV, ministry: 'MSDHS', province: BKK },
  { th: 'กรมกิจการเด็กและเยาวชน', en: 'Department of Children and Youth', type: GOV, ministry: 'MSDHS', province: BKK },
  { th: 'กรมกิจการสตรีและสถาบันครอบครัว', en: "Department of Women's Affairs and Family Development", type: GOV, ministry: 'MSDHS', province: BKK },
  { th: 'กรมกิจการผู้สูงอายุ', en: 'Department of Older Persons', type: GOV, ministry: 'MSDHS', province: BKK },
  { th: 'กรมพัฒนาสังคมและสวัสดิการ', en: 'Department of Social Development and Welfare', type: GOV, ministry: 'MSDHS', province: BKK },
  { th: 'กรมส่งเสริมและพัฒนาคุณภาพชีวิตคนพิการ', en: 'Department of Empowerment of Persons with Disabilities', type: GOV, ministry: 'MSDHS', province: BKK },
  { th: 'สถาบันพัฒนาองค์กรชุมชน (องค์การมหาชน)', en: 'Community Organizations Development Institute (Public Organization)', type: PUB, ministry: 'MSDHS', province: BKK },
  { th: 'การเคหะแห่งชาติ', en: 'National Housing Authority', type: SOE, ministry: 'MSDHS', province: BKK },

  // --- กระทรวงการอุดมศึกษา วิทยาศาสตร์ วิจัยและนวัตกรรม (MHESI) — universities are listed at the end ---
  { th: 'สำนักงานปลัดกระทรวงการอุดมศึกษา วิทยาศาสตร์ วิจัยและนวัตกรรม', en: 'Office of the Permanent Secretary, Ministry of Higher Education, Science, Research and Innovation', type: GOV, ministry: 'MHESI', province: BKK },
  { th: 'กรมวิทยาศาสตร์บริการ', en: 'Department of Science Service', type: GOV, ministry: 'MHESI', province: BKK },
  { th: 'สำนักงานปรมาณูเพื่อสันติ', en: 'Office of Atoms for Peace', type: GOV, ministry: 'MHESI', province: BKK },
  { th: 'สำนักงานการวิจัยแห่งชาติ', en: 'National Research Council of Thailand', type: GOV, ministry: 'MHESI', province: BKK },
  { th: 'สำนักงานคณะกรรมการส่งเสริมวิทยาศาสตร์ วิจัยและนวัตกรรม', en: 'Thailand Science Research and Innovation', type: PUB, ministry: 'MHESI', province: BKK },
  { th: 'สำนักงานสภานโยบายการอุดมศึกษา วิทยาศาสตร์ วิจัยและนวัตกรรมแห่งชาติ', en: 'Office of National Higher Education Science Research and Innovation Policy Council', type: PUB, ministry: 'MHESI', province: BKK },
  { th: 'สำนักงานพัฒนาวิทยาศาสตร์และเทคโนโลยีแห่งชาติ', en: 'National Science and Technology Development Agency', type: PUB, ministry: 'MHESI', province: 'TH-13' },
  { th: 'สถาบันมาตรวิทยาแห่งชาติ', en: 'National Institute of Metrology (Thailand)', type: PUB, ministry: 'MHESI', province: 'TH-13' },
  { th: 'สถาบันวิจัยแสงซินโครตรอน (องค์การมหาชน)', en: 'Synchrotron Light Research Institute (Public Organization)', type: PUB, ministry: 'MHESI', province: 'TH-30' },
  { th: 'สถาบันวิจัยดาราศาสตร์แห่งชาติ (องค์การมหาชน)', en: 'National Astronomical Research Institute of Thailand (Public Organization)', type: PUB, ministry: 'MHESI', province: 'TH-50' },
  { th: 'สถาบันเทคโนโลยีนิวเคลียร์แห่งชาติ (องค์การมหาชน)', en: 'Thailand Institute of Nuclear Technology (Public Organization)', type: PUB, ministry: 'MHESI', province: 'TH-26' },
  { th: 'สถาบันสารสนเทศทรัพยากรน้ำ (องค์การมหาชน)', en: 'Hydro-Informatics Institute (Public Organization)', type: PUB, ministry: 'MHESI', province: BKK },
  { th: 'สำนักงานพัฒนาเทคโนโลยีอวกาศและภูมิสารสนเทศ (องค์การมหาชน)', en: 'Geo-Informatics and Space Technology Development Agency (Public Organization)', type: PUB, ministry: 'MHESI', province: BKK },
  { th: 'สำนักงานนวัตกรรมแห่งชาติ (องค์การมหาชน)', en: 'National Innovation Agency (Public Organization)', type: PUB, ministry: 'MHESI', province: BKK },
  { th: 'ศูนย์ความเป็นเลิศด้านชีววิทยาศาสตร์ (องค์การมหาชน)', en: 'Thailand Center of Excellence for Life Sciences (Public Organization)', type: PUB, ministry: 'MHESI', province: BKK },
  { th: 'สถาบันวิจัยวิทยาศาสตร์และเทคโนโลยีแห่งประเทศไทย', en: 'Thailand Institute of Scientific and Technological Research', type: SOE, ministry: 'MHESI', province: 'TH-13' },
  { th: 'องค์การพิพิธภัณฑ์วิทยาศาสตร์แห่งชาติ', en: 'National Science Museum', type: SOE, ministry: 'MHESI', province: 'TH-13' },

  // --- กระทรวงเกษตรและสหกรณ์ (MOAC) ---
  { th: 'สำนักงานปลัดกระทรวงเกษตรและสหกรณ์', en: 'Office of the Permanent Secretary, Ministry of Agriculture and Cooperatives', type: GOV, ministry: 'MOAC', province: BKK },
  { th: 'กรมชลประทาน', en: 'Royal Irrigation Department', type: GOV, ministry: 'MOAC', province: BKK },
  { th: 'กรมตรวจบัญชีสหกรณ์', en: 'Cooperative Auditing Department', type: GOV, ministry: 'MOAC', province: BKK },
  { key: 'DOF', th: 'กรมประมง', en: 'Department of Fisheries', type: GOV, ministry: 'MOAC', province: BKK },
  { key: 'DLD', th: 'กรมปศุสัตว์', en: 'Department of Livestock Development', type: GOV, ministry: 'MOAC', province: BKK },
  { th: 'กรมพัฒนาที่ดิน', en: 'Land Development Department', type: GOV, ministry: 'MOAC', province: BKK },
  { th: 'กรมวิชาการเกษตร', en: 'Department of Agriculture', type: GOV, ministry: 'MOAC', province: BKK },
  { key: 'DOAE', th: 'กรมส่งเสริมการเกษตร', en: 'Department of Agricultural Extension', type: GOV, ministry: 'MOAC', province: BKK },
  { key: 'CPD', th: 'กรมส่งเสริมสหกรณ์', en: 'Cooperative Promotion Department', type: GOV, ministry: 'MOAC', province: BKK },
  { th: 'สำนักงานการปฏิรูปที่ดินเพื่อเกษตรกรรม', en: 'Agricultural Land Reform Office', type: GOV, ministry: 'MOAC', province: BKK },
  { th: 'สำนักงานมาตรฐานสินค้าเกษตรและอาหารแห่งชาติ', en: 'National Bureau of Agricultural Commodity and Food Standards', type: GOV, ministry: 'MOAC', province: BKK },
  { th: 'สำนักงานเศรษฐกิจการเกษตร', en: 'Office of Agricultural Economics', type: GOV, ministry: 'MOAC', province: BKK },
  { th: 'กรมการข้าว', en: 'Rice Department', type: GOV, ministry: 'MOAC', province: BKK },
  { th: 'กรมหม่อนไหม', en: 'The Queen Sirikit Department of Sericulture', type: GOV, ministry: 'MOAC', province: BKK },
  { th: 'กรมฝนหลวงและการบินเกษตร', en: 'Department of Royal Rainmaking and Agricultural Aviation', type: GOV, ministry: 'MOAC', province: BKK },
  { th: 'สำนักงานพัฒนาการวิจัยการเกษตร (องค์การมหาชน)', en: 'Agricultural Research Development Agency (Public Organization)', type: PUB, ministry: 'MOAC', province: BKK },
  { th: 'สถาบันวิจัยและพัฒนาพื้นที่สูง (องค์การมหาชน)', en: 'Highland Research and Development Institute (Public Organization)', type: PUB, ministry: 'MOAC', province: 'TH-50' },
  { th: 'สำนักงานพิพิธภัณฑ์เกษตรเฉลิมพระเกียรติพระบาทสมเด็จพระเจ้าอยู่หัว (องค์การมหาชน)', en: 'The Golden Jubilee Museum of Agriculture Office (Public Organization)', type: PUB, ministry: 'MOAC', province: 'TH-13' },
  { th: 'องค์การตลาดเพื่อเกษตรกร', en: 'Marketing Organization for Farmers', type: SOE, ministry: 'MOAC', province: BKK },
  { th: 'องค์การสะพานปลา', en: 'Fish Marketing Organization', type: SOE, ministry: 'MOAC', province: BKK },
  { th: 'องค์การส่งเสริมกิจการโคนมแห่งประเทศไทย', en: 'Dairy Farming Promotion Organization of Thailand', type: SOE, ministry: 'MOAC', province: 'TH-19' },
  { th: 'การยางแห่งประเทศไทย', en: 'Rubber Authority of Thailand', type: SOE, ministry: 'MOAC', province: BKK },

  // --- กระทรวงคมนาคม (MOT) ---
  { th: 'สำนักงานปลัดกระทรวงคมนาคม', en: 'Office of the Permanent Secretary, Ministry of Transport', type: GOV, ministry: 'MOT', province: BKK },
  { th: 'กรมเจ้าท่า', en: 'Marine Department', type: GOV, ministry: 'MOT', province: BKK },
  { key: 'DLT', th: 'กรมการขนส่งทางบก', en: 'Department of Land Transport', type: GOV, ministry: 'MOT', province: BKK },
  { th: 'กรมท่าอากาศยาน', en: 'Department of Airports', type: GOV, ministry: 'MOT', province: BKK },
  { th: 'กรมทางหลวง', en: 'Department of Highways', type: GOV, ministry: 'MOT', province: BKK },
  { th: 'กรมทางหลวงชนบท', en: 'Department of Rural Roads', type: GOV, ministry: 'MOT', province: BKK },
  { th: 'สำนักงานนโยบายและแผนการขนส่งและจราจร', en: 'Office of Transport and Traffic Policy and Planning', type: GOV, ministry: 'MOT', province: BKK },
  { th: 'กรมการขนส่งทางราง', en: 'Department of Rail Transport', type: GOV, ministry: 'MOT', province: BKK },
  { th: 'สำนักงานการบินพลเรือนแห่งประเทศไทย', en: 'The Civil Aviation Authority of Thailand', type: PUB, ministry: 'MOT', province: BKK },
  { th: 'การรถไฟแห่งประเทศไทย', en: 'State Railway of Thailand', type: SOE, ministry: 'MOT', province: BKK },
  { th: 'การทางพิเศษแห่งประเทศไทย', en: 'Expressway Authority of Thailand', type: SOE, ministry: 'MOT', province: BKK },
  { th: 'การรถไฟฟ้าขนส่งมวลชนแห่งประเทศไทย', en: 'Mass Rapid Transit Authority of Thailand', type: SOE, ministry: 'MOT', province: BKK },
  { th: 'องค์การขนส่งมวลชนกรุงเทพ', en: 'Bangkok Mass Transit Authority', type: SOE, ministry: 'MOT', province: BKK },
  { th: 'การท่าเรือแห่งประเทศไทย', en: 'Port Authority of Thailand', type: SOE, ministry: 'MOT', province: BKK },
  { th: 'บริษัท ขนส่ง จำกัด', en: 'The Transport Company Limited', type: SOE, ministry: 'MOT', province: BKK },
  { th: 'บริษัท ท่าอากาศยานไทย จำกัด (มหาชน)', en: 'Airports of Thailand Public Company Limited', type: SOE, ministry: 'MOT', province: BKK },
  { th: 'บริษัท วิทยุการบินแห่งประเทศไทย จำกัด', en: 'Aeronautical Radio of Thailand Limited', type: SOE, ministry: 'MOT', province: BKK },
  { th: 'สถาบันการบินพลเรือน', en: 'Civil Aviation Training Center', type: SOE, ministry: 'MOT', province: BKK },

  // --- กระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม (MDES) ---
  { th: 'สำนักงานปลัดกระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม', en: 'Office of the Permanent Secretary, Ministry of Digital Economy and Society', type: GOV, ministry: 'MDES', province: BKK },
  { th: 'กรมอุตุนิยมวิทยา', en: 'Thai Meteorological Department', type: GOV, ministry: 'MDES', province: BKK },
  { key: 'NSO', th: 'สำนักงานสถิติแห่งชาติ', en: 'National Statistical Office', type: GOV, ministry: 'MDES', province: BKK },
  { th: 'สำนักงานส่งเสริมเศรษฐกิจดิจิทัล', en: 'Digital Economy Promotion Agency', type: PUB, ministry: 'MDES', province: BKK },
  { th: 'สำนักงานพัฒนาธุรกรรมทางอิเล็กทรอนิกส์', en: 'Electronic Transactions Development Agency', type: PUB, ministry: 'MDES', province: BKK },
  { th: 'สำนักงานคณะกรรมการการรักษาความมั่นคงปลอดภัยไซเบอร์แห่งชาติ', en: 'National Cyber Security Agency', type: PUB, ministry: 'MDES', province: BKK },
  { th: 'สำนักงานคณะกรรมการคุ้มครองข้อมูลส่วนบุคคล', en: 'Office of the Personal Data Protection Committee', type: PUB, ministry: 'MDES', province: BKK },
  { th: 'บริษัท ไปรษณีย์ไทย จำกัด', en: 'Thailand Post Company Limited', type: SOE, ministry: 'MDES', province: BKK },
  { th: 'บริษัท โทรคมนาคมแห่งชาติ จำกัด (มหาชน)', en: 'National Telecom Public Company Limited', type: SOE, ministry: 'MDES', province: BKK },

  // --- กระทรวงทรัพยากรธรรมชาติและสิ่งแวดล้อม (MNRE) ---
  { key: 'OPS_MNRE', th: 'สำนักงานปลัดกระทรวงทรัพยากรธรรมชาติและสิ่งแวดล้อม', en: 'Office of the Permanent Secretary, Ministry of Natural Resources and Environment', type: GOV, ministry: 'MNRE', province: BKK },
  { th: 'กรมควบคุมมลพิษ', en: 'Pollution Control Department', type: GOV, ministry: 'MNRE', province: BKK },
  { th: 'กรมทรัพยากรทางทะเลและชายฝั่ง', en: 'Department of Marine and Coastal Resources', type: GOV, ministry: 'MNRE', province: BKK },
  { th: 'กรมทรัพยากรธรณี', en: 'Department of Mineral Resources', type: GOV, ministry: 'MNRE', province: BKK },
  { th: 'กรมทรัพยากรน้ำ', en: 'Department of Water Resources', type: GOV, ministry: 'MNRE', province: BKK },
  { th: 'กรมทรัพยากรน้ำบาดาล', en: 'Department of Groundwater Resources', type: GOV, ministry: 'MNRE', province: BKK },
  { th: 'กรมป่าไม้', en: 'Royal Forest Department', type: GOV, ministry: 'MNRE', province: BKK },
  { th: 'กรมอุทยานแห่งชาติ สัตว์ป่า และพันธุ์พืช', en: 'Department of National Parks, Wildlife and Plant Conservation', type: GOV, ministry: 'MNRE', province: BKK },
  { th: 'กรมส่งเสริมคุณภาพสิ่งแวดล้อม', en: 'Department of Environmental Quality Promotion', type: GOV, ministry: 'MNRE', province: BKK },
  { th: 'สำนักงานนโยบายและแผนทรัพยากรธรรมชาติและสิ่งแวดล้อม', en: 'Office of Natural Resources and Environmental Policy and Planning', type: GOV, ministry: 'MNRE', province: BKK },
  { th: 'องค์การบริหารจัดการก๊าซเรือนกระจก (องค์การมหาชน)', en: 'Thailand Greenhouse Gas Management Organization (Public Organization)', type: PUB, ministry: 'MNRE', province: BKK },
  { th: 'สำนักงานพัฒนาเศรษฐกิจจากฐานชีวภาพ (องค์การมหาชน)', en: 'Biodiversity-Based Economy Development Office (Public Organization)', type: PUB, ministry: 'MNRE', province: BKK },
  { th: 'องค์การอุตสาหกรรมป่าไม้', en: 'Forest Industry Organization', type: SOE, ministry: 'MNRE', province: BKK },
  { th: 'องค์การสวนพฤกษศาสตร์', en: 'Botanical Garden Organization', type: SOE, ministry: 'MNRE', province: 'TH-50' },
  { th: 'องค์การสวนสัตว์แห่งประเทศไทย ในพระบรมราชูปถัมภ์', en: 'Zoological Park Organization of Thailand under the Royal Patronage of H.M. the King', type: SOE, ministry: 'MNRE', province: BKK },
  { th: 'องค์การจัดการน้ำเสีย', en: 'Wastewater Management Authority', type: SOE, ministry: 'MNRE', province: BKK },

  // --- กระทรวงพลังงาน (MOEN) ---
  { key: 'OPS_MOEN', th: 'สำนักงานปลัดกระทรวงพลังงาน', en: 'Office of the Permanent Secretary, Ministry of Energy', type: GOV, ministry: 'MOEN', province: BKK },
  { th: 'กรมเชื้อเพลิงธรรมชาติ', en: 'Department of Mineral Fuels', type: GOV, ministry: 'MOEN', province: BKK },
  { th: 'กรมธุรกิจพลังงาน', en: 'Department of Energy Business', type: GOV, ministry: 'MOEN', province: BKK },
  { th: 'กรมพัฒนาพลังงานทดแทนและอนุรักษ์พลังงาน', en: 'Department of Alternative Energy Development and Efficiency', type: GOV, ministry: 'MOEN', province: BKK },
  { th: 'สำนักงานนโยบายและแผนพลังงาน', en: 'Energy Policy and Planning Office', type: GOV, ministry: 'MOEN', province: BKK },
  { th: 'สำนักงานกองทุนน้ำมันเชื้อเพลิง', en: 'Oil Fuel Fund Office', type: PUB, ministry: 'MOEN', province: BKK },
  { th: 'การไฟฟ้าฝ่ายผลิตแห่งประเทศไทย', en: 'Electricity Generating Authority of Thailand', type: SOE, ministry: 'MOEN', province: 'TH-12' },
  { th: 'บริษัท ปตท. จำกัด (มหาชน)', en: 'PTT Public Company Limited', type: SOE, ministry: 'MOEN', province: BKK },

  // --- กระทรวงพาณิชย์ (MOC) — ministry compound at Sanam Bin Nam, Nonthaburi ---
  { key: 'OPS_MOC', th: 'สำนักงานปลัดกระทรวงพาณิชย์', en: 'Office of the Permanent Secretary, Ministry of Commerce', type: GOV, ministry: 'MOC', province: 'TH-12' },
  { th: 'กรมการค้าต่างประเทศ', en: 'Department of Foreign Trade', type: GOV, ministry: 'MOC', province: 'TH-12' },
  { th: 'กรมการค้าภายใน', en: 'Department of Internal Trade', type: GOV, ministry: 'MOC', province: 'TH-12' },
  { th: 'กรมเจรจาการค้าระหว่างประเทศ', en: 'Department of Trade Negotiations', type: GOV, ministry: 'MOC', province: 'TH-12' },
  { th: 'กรมทรัพย์สินทางปัญญา', en: 'Department of Intellectual Property', type: GOV, ministry: 'MOC', province: 'TH-12' },
  { th: 'กรมพัฒนาธุรกิจการค้า', en: 'Department of Business Development', type: GOV, ministry: 'MOC', province: 'TH-12' },
  { th: 'กรมส่งเสริมการค้าระหว่างประเทศ', en: 'Department of International Trade Promotion', type: GOV, ministry: 'MOC', province: 'TH-12' },
  { th: 'สำนักงานนโยบายและยุทธศาสตร์การค้า', en: 'Trade Policy and Strategy Office', type: GOV, ministry: 'MOC', province: 'TH-12' },
  { th: 'สถาบันวิจัยและพัฒนาอัญมณีและเครื่องประดับแห่งชาติ (องค์การมหาชน)', en: 'The Gem and Jewelry Institute of Thailand (Public Organization)', type: PUB, ministry: 'MOC', province: BKK },
  { th: 'องค์การคลังสินค้า', en: 'Public Warehouse Organization', type: SOE, ministry: 'MOC', province: BKK },

  // --- กระทรวงมหาดไทย (MOI) ---
  { key: 'OPS_MOI', th: 'สำนักงานปลัดกระทรวงมหาดไทย', en: 'Office of the Permanent Secretary for Interior', type: GOV, ministry: 'MOI', province: BKK },
  { th: 'กรมการปกครอง', en: 'Department of Provincial Administration', type: GOV, ministry: 'MOI', province: BKK },
  { key: 'CDD', th: 'กรมการพัฒนาชุมชน', en: 'Community Development Department', type: GOV, ministry: 'MOI', province: BKK },
  { th: 'กรมที่ดิน', en: 'Department of Lands', type: GOV, ministry: 'MOI', province: BKK },
  { key: 'DDPM', th: 'กรมป้องกันและบรรเทาสาธารณภัย', en: 'Department of Disaster Prevention and Mitigation', type: GOV, ministry: 'MOI', province: BKK },
  { th: 'กรมโยธาธิการและผังเมือง', en: 'Department of Public Works and Town & Country Planning', type: GOV, ministry: 'MOI', province: BKK },
  { th: 'กรมส่งเสริมการปกครองท้องถิ่น', en: 'Department of Local Administration', type: GOV, ministry: 'MOI', province: BKK },
  { th: 'การไฟฟ้านครหลวง', en: 'Metropolitan Electricity Authority', type: SOE, ministry: 'MOI', province: BKK },
  { th: 'การไฟฟ้าส่วนภูมิภาค', en: 'Provincial Electricity Authority', type: SOE, ministry: 'MOI', province: BKK },
  { th: 'การประปานครหลวง', en: 'Metropolitan Waterworks Authority', type: SOE, ministry: 'MOI', province: BKK },
  { th: 'การประปาส่วนภูมิภาค', en: 'Provincial Waterworks Authority', type: SOE, ministry: 'MOI', province: BKK },

  // --- กระทรวงยุติธรรม (MOJ) ---
  { key: 'OPS_MOJ', th: 'สำนักงานปลัดกระทรวงยุติธรรม', en: 'Office of the Permanent Secretary, Ministry of Justice', type: GOV, ministry: 'MOJ', province: BKK },
  { th: 'กรมคุมประพฤติ', en: 'Department of Probation', type: GOV, ministry: 'MOJ', province: BKK },
  { th: 'กรมคุ้มครองสิทธิและเสรีภาพ', en: 'Rights and Liberties Protection Department', type: GOV, ministry: 'MOJ', province: BKK },
  { th: 'กรมบังคับคดี', en: 'Legal Execution Department', type: GOV, ministry: 'MOJ', province: BKK },
  { th: 'กรมพินิจและคุ้มครองเด็กและเยาวชน', en: 'Department of Juvenile Observation and Protection', type: GOV, ministry: 'MOJ', province: BKK },
  { th: 'กรมราชทัณฑ์', en: 'Department of Corrections', type: GOV, ministry: 'MOJ', province: 'TH-12' },
  { th: 'กรมสอบสวนคดีพิเศษ', en: 'Department of Special Investigation', type: GOV, ministry: 'MOJ', province: BKK },
  { th: 'สำนักงานกิจการยุติธรรม', en: 'Office of Justice Affairs', type: GOV, ministry: 'MOJ', province: BKK },
  { th: 'สถาบันนิติวิทยาศาสตร์', en: 'Central Institute of Forensic Science', type: GOV, ministry: 'MOJ', province: BKK },
  { th: 'สำนักงานคณะกรรมการป้องกันและปราบปรามยาเสพติด', en: 'Office of the Narcotics Control Board', type: GOV, ministry: 'MOJ', province: BKK },
  { th: 'สำนักงานคณะกรรมการป้องกันและปราบปรามการทุจริตในภาครัฐ', en: 'Office of the Public Sector Anti-Corruption Commission', type: GOV, ministry: 'MOJ', province: 'TH-12' },
  { th: 'สถาบันเพื่อการยุติธรรมแห่งประเทศไทย (องค์การมหาชน)', en: 'Thailand Institute of Justice (Public Organization)', type: PUB, ministry: 'MOJ', province: BKK },

  // --- กระทรวงแรงงาน (MOL) ---
  { key: 'OPS_MOL', th: 'สำนักงานปลัดกระทรวงแรงงาน', en: 'Office of the Permanent Secretary, Ministry of Labour', type: GOV, ministry: 'MOL', province: BKK },
  { key: 'DOE', th: 'กรมการจัดหางาน', en: 'Department of Employment', type: GOV, ministry: 'MOL', province: BKK },
  { th: 'กรมพัฒนาฝีมือแรงงาน', en: 'Department of Skill Development', type: GOV, ministry: 'MOL', province: BKK },
  { th: 'กรมสวัสดิการและคุ้มครองแรงงาน', en: 'Department of Labour Protection and Welfare', type: GOV, ministry: 'MOL', province: BKK },
  { th: 'สำนักงานประกันสังคม', en: 'Social Security Office', type: GOV, ministry: 'MOL', province: 'TH-12' },
  { th: 'สถาบันส่งเสริมความปลอดภัย อาชีวอนามัย และสภาพแวดล้อมในการทำงาน (องค์การมหาชน)', en: 'Thailand Institute of Occupational Safety and Health (Public Organization)', type: PUB, ministry: 'MOL', province: '' },

  // --- กระทรวงวัฒนธรรม (MCULT) ---
  { key: 'OPS_MCULT', th: 'สำนักงานปลัดกระทรวงวัฒนธรรม', en: 'Office of the Permanent Secretary, Ministry of Culture', type: GOV, ministry: 'MCULT', province: BKK },
  { th: 'กรมการศาสนา', en: 'Department of Religious Affairs', type: GOV, ministry: 'MCULT', province: BKK },
  { th: 'กรมศิลปากร', en: 'Fine Arts Department', type: GOV, ministry: 'MCULT', province: BKK },
  { th: 'กรมส่งเสริมวัฒนธรรม', en: 'Department of Cultural Promotion', type: GOV, ministry: 'MCULT', province: BKK },
  { th: 'สำนักงานศิลปวัฒนธรรมร่วมสมัย', en: 'Office of Contemporary Art and Culture', type: GOV, ministry: 'MCULT', province: BKK },
  { th: 'สถาบันบัณฑิตพัฒนศิลป์', en: 'Bunditpatanasilpa Institute', type: GOV, ministry: 'MCULT', province: BKK },
  { th: 'หอภาพยนตร์ (องค์การมหาชน)', en: 'Film Archive (Public Organization)', type: PUB, ministry: 'MCULT', province: 'TH-73' },
  { th: 'ศูนย์มานุษยวิทยาสิรินธร (องค์การมหาชน)', en: 'Princess Maha Chakri Sirindhorn Anthropology Centre (Public Organization)', type: PUB, ministry: 'MCULT', province: BKK },
  { th: 'ศูนย์คุณธรรม (องค์การมหาชน)', en: 'Moral Promotion Center (Public Organization)', type: PUB, ministry: 'MCULT', province: BKK },
  { th: 'กองทุนพัฒนาสื่อปลอดภัยและสร้างสรรค์', en: 'Thai Media Fund', type: PUB, ministry: 'MCULT', province: BKK },

  // --- กระทรวงศึกษาธิการ (MOE) ---
  { th: 'สำนักงานปลัดกระทรวงศึกษาธิการ', en: 'Office of the Permanent Secretary, Ministry of Education', type: GOV, ministry: 'MOE', province: BKK },
  { th: 'สำนักงานคณะกรรมการการศึกษาขั้นพื้นฐาน', en: 'Office of the Basic Education Commission', type: GOV, ministry: 'MOE', province: BKK },
  { th: 'สำนักงานคณะกรรมการการอาชีวศึกษา', en: 'Office of the Vocational Education Commission', type: GOV, ministry: 'MOE', province: BKK },
  { th: 'สำนักงานเลขาธิการสภาการศึกษา', en: 'Office of the Education Council', type: GOV, ministry: 'MOE', province: BKK },
  { th: 'สถาบันทดสอบทางการศึกษาแห่งชาติ (องค์การมหาชน)', en: 'National Institute of Educational Testing Service (Public Organization)', type: PUB, ministry: 'MOE', province: BKK },
  { th: 'สถาบันส่งเสริมการสอนวิทยาศาสตร์และเทคโนโลยี', en: 'The Institute for the Promotion of Teaching Science and Technology', type: PUB, ministry: 'MOE', province: BKK },
  { th: 'โรงเรียนมหิดลวิทยานุสรณ์ (องค์การมหาชน)', en: 'Mahidol Wittayanusorn School (Public Organization)', type: PUB, ministry: 'MOE', province: 'TH-73' },

  // --- กระทรวงสาธารณสุข (MOPH) — ministry compound on Tiwanon Road, Nonthaburi ---
  { key: 'OPS_MOPH', th: 'สำนักงานปลัดกระทรวงสาธารณสุข', en: 'Office of the Permanent Secretary, Ministry of Public Health', type: GOV, ministry: 'MOPH', province: 'TH-12' },
  { th: 'กรมการแพทย์', en: 'Department of Medical Services', type: GOV, ministry: 'MOPH', province: 'TH-12' },
  { key: 'DDC', th: 'กรมควบคุมโรค', en: 'Department of Disease Control', type: GOV, ministry: 'MOPH', province: 'TH-12' },
  { th: 'กรมการแพทย์แผนไทยและการแพทย์ทางเลือก', en: 'Department of Thai Traditional and Alternative Medicine', type: GOV, ministry: 'MOPH', province: 'TH-12' },
  { th: 'กรมวิทยาศาสตร์การแพทย์', en: 'Department of Medical Sciences', type: GOV, ministry: 'MOPH', province: 'TH-12' },
  { th: 'กรมสนับสนุนบริการสุขภาพ', en: 'Department of Health Service Support', type: GOV, ministry: 'MOPH', province: 'TH-12' },
  { th: 'กรมสุขภาพจิต', en: 'Department of Mental Health', type: GOV, ministry: 'MOPH', province: 'TH-12' },
  { th: 'กรมอนามัย', en: 'Department of Health', type: GOV, ministry: 'MOPH', province: 'TH-12' },
  { th: 'สำนักงานคณะกรรมการอาหารและยา', en: 'Food and Drug Administration', type: GOV, ministry: 'MOPH', province: 'TH-12' },
  { th: 'สถาบันรับรองคุณภาพสถานพยาบาล (องค์การมหาชน)', en: 'Healthcare Accreditation Institute (Public Organization)', type: PUB, ministry: 'MOPH', province: 'TH-12' },
  { th: 'สถาบันวิจัยระบบสาธารณสุข', en: 'Health Systems Research Institute', type: PUB, ministry: 'MOPH', province: 'TH-12' },
  { th: 'สำนักงานหลักประกันสุขภาพแห่งชาติ', en: 'National Health Security Office', type: PUB, ministry: 'MOPH', province: BKK },
  { th: 'โรงพยาบาลบ้านแพ้ว (องค์การมหาชน)', en: 'Banphaeo Hospital (Public Organization)', type: PUB, ministry: 'MOPH', province: 'TH-74' },
  { th: 'สถาบันการแพทย์ฉุกเฉินแห่งชาติ', en: 'National Institute for Emergency Medicine', type: PUB, ministry: 'MOPH', province: 'TH-12' },
  { th: 'สถาบันวัคซีนแห่งชาติ (องค์การมหาชน)', en: 'National Vaccine Institute (Public Organization)', type: PUB, ministry: 'MOPH', province: 'TH-12' },
  { th: 'สำนักงานคณะกรรมการสุขภาพแห่งชาติ', en: 'National Health Commission Office', type: PUB, ministry: 'MOPH', province: 'TH-12' },
  { th: 'องค์การเภสัชกรรม', en: 'The Government Pharmaceutical Organization', type: SOE, ministry: 'MOPH', province: BKK },

  // --- กระทรวงอุตสาหกรรม (MIND) ---
  { key: 'OPS_MIND', th: 'สำนักงานปลัดกระทรวงอุตสาหกรรม', en: 'Office of the Permanent Secretary, Ministry of Industry', type: GOV, ministry: 'MIND', province: BKK },
  { th: 'กรมโรงงานอุตสาหกรรม', en: 'Department of Industrial Works', type: GOV, ministry: 'MIND', province: BKK },
  { th: 'กรมส่งเสริมอุตสาหกรรม', en: 'Department of Industrial Promotion', type: GOV, ministry: 'MIND', province: BKK },
  { th: 'กรมอุตสาหกรรมพื้นฐานและการเหมืองแร่', en: 'Department of Primary Industries and Mines', type: GOV, ministry: 'MIND', province: BKK },
  { th: 'สำนักงานคณะกรรมการอ้อยและน้ำตาลทราย', en: 'Office of the Cane and Sugar Board', type: GOV, ministry: 'MIND', province: BKK },
  { th: 'สำนักงานมาตรฐานผลิตภัณฑ์อุตสาหกรรม', en: 'Thai Industrial Standards Institute', type: GOV, ministry: 'MIND', province: BKK },
  { th: 'สำนักงานเศรษฐกิจอุตสาหกรรม', en: 'Office of Industrial Economics', type: GOV, ministry: 'MIND', province: BKK },
  { th: 'การนิคมอุตสาหกรรมแห่งประเทศไทย', en: 'Industrial Estate Authority of Thailand', type: SOE, ministry: 'MIND', province: BKK },

  // --- Independent bodies, courts, prosecutors, parliament (not under a ministry) ---
  { th: 'สำนักงานคณะกรรมการการเลือกตั้ง', en: 'Office of the Election Commission of Thailand', type: IND, ministry: '', province: BKK },
  { th: 'สำนักงานการตรวจเงินแผ่นดิน', en: 'State Audit Office of the Kingdom of Thailand', type: IND, ministry: '', province: BKK },
  { th: 'สำนักงานผู้ตรวจการแผ่นดิน', en: 'Office of the Ombudsman', type: IND, ministry: '', province: BKK },
  { th: 'สำนักงานคณะกรรมการป้องกันและปราบปรามการทุจริตแห่งชาติ', en: 'Office of the National Anti-Corruption Commission', type: IND, ministry: '', province: 'TH-12' },
  { th: 'สำนักงานคณะกรรมการสิทธิมนุษยชนแห่งชาติ', en: 'Office of the National Human Rights Commission of Thailand', type: IND, ministry: '', province: BKK },
  { th: 'สำนักงานศาลยุติธรรม', en: 'Office of the Judiciary', type: IND, ministry: '', province: BKK },
  { th: 'สำนักงานศาลปกครอง', en: 'Office of the Administrative Courts', type: IND, ministry: '', province: BKK },
  { th: 'สำนักงานศาลรัฐธรรมนูญ', en: 'Office of the Constitutional Court', type: IND, ministry: '', province: BKK },
  { th: 'สำนักงานอัยการสูงสุด', en: 'Office of the Attorney General', type: IND, ministry: '', province: BKK },
  { th: 'สำนักงานเลขาธิการวุฒิสภา', en: 'The Secretariat of the Senate', type: IND, ministry: '', province: BKK },
  { th: 'สำนักงานเลขาธิการสภาผู้แทนราษฎร', en: 'The Secretariat of the House of Representatives', type: IND, ministry: '', province: BKK },
  { th: 'สำนักงานคณะกรรมการกิจการกระจายเสียง กิจการโทรทัศน์ และกิจการโทรคมนาคมแห่งชาติ', en: 'Office of the National Broadcasting and Telecommunications Commission', type: IND, ministry: '', province: BKK },
  { th: 'สำนักงานคณะกรรมการการแข่งขันทางการค้า', en: 'Office of the Trade Competition Commission', type: IND, ministry: '', province: BKK },
  { th: 'สำนักงานคณะกรรมการกำกับกิจการพลังงาน', en: 'Office of the Energy Regulatory Commission', type: IND, ministry: '', province: BKK },
  { th: 'ราชวิทยาลัยจุฬาภรณ์', en: 'Chulabhorn Royal Academy', type: GOV, ministry: '', province: BKK },

  // --- Public universities (MHESI): universities outside the Rajabhat/Rajamangala groups ---
  { th: 'จุฬาลงกรณ์มหาวิทยาลัย', en: 'Chulalongkorn University', type: GOV, ministry: 'MHESI', province: BKK },
  { th: 'มหาวิทยาลัยธรรมศาสตร์', en: 'Thammasat University', type: GOV, ministry: 'MHESI', province: BKK },
  { th: 'มหาวิทยาลัยมหิดล', en: 'Mahidol University', type: GOV, ministry: 'MHESI', province: 'TH-73' },
  { th: 'มหาวิทยาลัยเกษตรศาสตร์', en: 'Kasetsart University', type: GOV, ministry: 'MHESI', province: BKK },
  { th: 'มหาวิทยาลัยศิลปากร', en: 'Silpakorn University', type: GOV, ministry: 'MHESI', province: BKK },
  { th: 'มหาวิทยาลัยศรีนครินทรวิโรฒ', en: 'Srinakharinwirot University', type: GOV, ministry: 'MHESI', province: BKK },
  { th: 'มหาวิทยาลัยรามคำแหง', en: 'Ramkhamhaeng University', type: GOV, ministry: 'MHESI', province: BKK },
  { th: 'มหาวิทยาลัยสุโขทัยธรรมาธิราช', en: 'Sukhothai Thammathirat Open University', type: GOV, ministry: 'MHESI', province: 'TH-12' },
  { th: 'สถาบันบัณฑิตพัฒนบริหารศาสตร์', en: 'National Institute of Development Administration', type: GOV, ministry: 'MHESI', province: BKK },
  { th: 'มหาวิทยาลัยเทคโนโลยีพระจอมเกล้าธนบุรี', en: "King Mongkut's University of Technology Thonburi", type: GOV, ministry: 'MHESI', province: BKK },
  { th: 'มหาวิทยาลัยเทคโนโลยีพระจอมเกล้าพระนครเหนือ', en: "King Mongkut's University of Technology North Bangkok", type: GOV, ministry: 'MHESI', province: BKK },
  { th: 'สถาบันเทคโนโลยีพระจอมเกล้าเจ้าคุณทหารลาดกระบัง', en: "King Mongkut's Institute of Technology Ladkrabang", type: GOV, ministry: 'MHESI', province: BKK },
  { th: 'มหาวิทยาลัยสวนดุสิต', en: 'Suan Dusit University', type: GOV, ministry: 'MHESI', province: BKK },
  { th: 'สถาบันดนตรีกัลยาณิวัฒนา', en: 'Princess Galyani Vadhana Institute of Music', type: GOV, ministry: 'MHESI', province: BKK },
  { th: 'มหาวิทยาลัยเชียงใหม่', en: 'Chiang Mai University', type: GOV, ministry: 'MHESI', province: 'TH-50' },
  { th: 'มหาวิทยาลัยแม่โจ้', en: 'Maejo University', type: GOV, ministry: 'MHESI', province: 'TH-50' },
  { th: 'มหาวิทยาลัยแม่ฟ้าหลวง', en: 'Mae Fah Luang University', type: GOV, ministry: 'MHESI', province: 'TH-57' },
  { th: 'มหาวิทยาลัยพะเยา', en: 'University of Phayao', type: GOV, ministry: 'MHESI', province: 'TH-56' },
  { th: 'มหาวิทยาลัยนเรศวร', en: 'Naresuan University', type: GOV, ministry: 'MHESI', province: 'TH-65' },
  { th: 'มหาวิทยาลัยขอนแก่น', en: 'Khon Kaen University', type: GOV, ministry: 'MHESI', province: 'TH-40' },
  { th: 'มหาวิทยาลัยมหาสารคาม', en: 'Mahasarakham University', type: GOV, ministry: 'MHESI', province: 'TH-44' },
  { th: 'มหาวิทยาลัยอุบลราชธานี', en: 'Ubon Ratchathani University', type: GOV, ministry: 'MHESI', province: 'TH-34' },
  { th: 'มหาวิทยาลัยนครพนม', en: 'Nakhon Phanom University', type: GOV, ministry: 'MHESI', province: 'TH-48' },
  { th: 'มหาวิทยาลัยกาฬสินธุ์', en: 'Kalasin University', type: GOV, ministry: 'MHESI', province: 'TH-46' },
  { th: 'มหาวิทยาลัยเทคโนโลยีสุรนารี', en: 'Suranaree University of Technology', type: GOV, ministry: 'MHESI', province: 'TH-30' },
  { th: 'มหาวิทยาลัยบูรพา', en: 'Burapha University', type: GOV, ministry: 'MHESI', province: 'TH-20' },
  { th: 'มหาวิทยาลัยสงขลานครินทร์', en: 'Prince of Songkla University', type: GOV, ministry: 'MHESI', province: 'TH-90' },
  { th: 'มหาวิทยาลัยทักษิณ', en: 'Thaksin University', type: GOV, ministry: 'MHESI', province: 'TH-90' },
  { th: 'มหาวิทยาลัยวลัยลักษณ์', en: 'Walailak University', type: GOV, ministry: 'MHESI', province: 'TH-80' },
  { th: 'มหาวิทยาลัยนราธิวาสราชนครินทร์', en: 'Princess of Naradhiwas University', type: GOV, ministry: 'MHESI', province: 'TH-96' },
  { th: 'มหาวิทยาลัยมหาจุฬาลงกรณราชวิทยาลัย', en: 'Mahachulalongkornrajavidyalaya University', type: GOV, ministry: 'MHESI', province: 'TH-14' },
  { th: 'มหาวิทยาลัยมหามกุฏราชวิทยาลัย', en: 'Mahamakut Buddhist University', type: GOV, ministry: 'MHESI', province: 'TH-73' },

  // --- Rajamangala universities of technology (all nine) ---
  { th: 'มหาวิทยาลัยเทคโนโลยีราชมงคลธัญบุรี', en: 'Rajamangala University of Technology Thanyaburi', type: GOV, ministry: 'MHESI', province: 'TH-13' },
  { th: 'มหาวิทยาลัยเทคโนโลยีราชมงคลกรุงเทพ', en: 'Rajamangala University of Technology Krungthep', type: GOV, ministry: 'MHESI', province: BKK },
  { th: 'มหาวิทยาลัยเทคโนโลยีราชมงคลพระนคร', en: 'Rajamangala University of Technology Phra Nakhon', type: GOV, ministry: 'MHESI', province: BKK },
  { th: 'มหาวิทยาลัยเทคโนโลยีราชมงคลรัตนโกสินทร์', en: 'Rajamangala University of Technology Rattanakosin', type: GOV, ministry: 'MHESI', province: 'TH-73' },
  { th: 'มหาวิทยาลัยเทคโนโลยีราชมงคลตะวันออก', en: 'Rajamangala University of Technology Tawan-ok', type: GOV, ministry: 'MHESI', province: 'TH-20' },
  { th: 'มหาวิทยาลัยเทคโนโลยีราชมงคลสุวรรณภูมิ', en: 'Rajamangala University of Technology Suvarnabhumi', type: GOV, ministry: 'MHESI', province: 'TH-14' },
  { th: 'มหาวิทยาลัยเทคโนโลยีราชมงคลล้านนา', en: 'Rajamangala University of Technology Lanna', type: GOV, ministry: 'MHESI', province: 'TH-50' },
  { th: 'มหาวิทยาลัยเทคโนโลยีราชมงคลอีสาน', en: 'Rajamangala University of Technology Isan', type: GOV, ministry: 'MHESI', province: 'TH-30' },
  { th: 'มหาวิทยาลัยเทคโนโลยีราชมงคลศรีวิชัย', en: 'Rajamangala University of Technology Srivijaya', type: GOV, ministry: 'MHESI', province: 'TH-90' },

  // --- Rajabhat universities in Bangkok ---
  { th: 'มหาวิทยาลัยราชภัฏจันทรเกษม', en: 'Chandrakasem Rajabhat University', type: GOV, ministry: 'MHESI', province: BKK },
  { th: 'มหาวิทยาลัยราชภัฏธนบุรี', en: 'Dhonburi Rajabhat University', type: GOV, ministry: 'MHESI', province: BKK },
  { th: 'มหาวิทยาลัยราชภัฏบ้านสมเด็จเจ้าพระยา', en: 'Bansomdejchaopraya Rajabhat University', type: GOV, ministry: 'MHESI', province: BKK },
  { th: 'มหาวิทยาลัยราชภัฏพระนคร', en: 'Phranakhon Rajabhat University', type: GOV, ministry: 'MHESI', province: BKK },
  { th: 'มหาวิทยาลัยราชภัฏสวนสุนันทา', en: 'Suan Sunandha Rajabhat University', type: GOV, ministry: 'MHESI', province: BKK },
];

// ---------------------------------------------------------------------------
// 2. Regional units (หน่วยงานภาครัฐส่วนภูมิภาค).
//    a) Provincial networks: one office in each of the 76 provinces outside
//       Bangkok (Bangkok's equivalent services are run by the BMA or by the
//       central departments themselves, so no TH-10 unit is generated).
//       Names: Thai `${th}${province}`, English `${province} ${en}`.
//    b) Regional networks: departments whose field offices are organised by
//       region rather than by province; one unit per listed region, located in
//       the listed province. `{n}` = region number, `{provinceTh}` / `{provinceEn}`.
//    76 (provincial administration) + 19 x 76 + 12 + 18 = 1,550.
// ---------------------------------------------------------------------------
const PROVINCIAL_NETWORKS = [
  { parent: 'OPS_MOI', th: 'สำนักงานจังหวัด', en: 'Provincial Office' },
  { parent: 'DOAE', th: 'สำนักงานเกษตรจังหวัด', en: 'Provincial Agricultural Extension Office' },
  { parent: 'OPS_MOPH', th: 'สำนักงานสาธารณสุขจังหวัด', en: 'Provincial Public Health Office' },
  { parent: 'CDD', th: 'สำนักงานพัฒนาชุมชนจังหวัด', en: 'Provincial Community Development Office' },
  { parent: 'OPS_MOL', th: 'สำนักงานแรงงานจังหวัด', en: 'Provincial Labour Office' },
  { parent: 'OPS_MOC', th: 'สำนักงานพาณิชย์จังหวัด', en: 'Provincial Commercial Office' },
  { parent: 'NSO', th: 'สำนักงานสถิติจังหวัด', en: 'Provincial Statistical Office' },
  { parent: 'CGD', th: 'สำนักงานคลังจังหวัด', en: 'Provincial Comptroller Office' },
  { parent: 'OPS_MOTS', th: 'สำนักงานการท่องเที่ยวและกีฬาจังหวัด', en: 'Provincial Office of Tourism and Sports' },
  { parent: 'OPS_MCULT', th: 'สำนักงานวัฒนธรรมจังหวัด', en: 'Provincial Cultural Office' },
  { parent: 'OPS_MSDHS', th: 'สำนักงานพัฒนาสังคมและความมั่นคงของมนุษย์จังหวัด', en: 'Provincial Office of Social Development and Human Security' },
  { parent: 'OPS_MNRE', th: 'สำนักงานทรัพยากรธรรมชาติและสิ่งแวดล้อมจังหวัด', en: 'Provincial Office of Natural Resources and Environment' },
  { parent: 'OPS_MIND', th: 'สำนักงานอุตสาหกรรมจังหวัด', en: 'Provincial Industry Office' },
  { parent: 'OPS_MOEN', th: 'สำนักงานพลังงานจังหวัด', en: 'Provincial Energy Office' },
  { parent: 'DLT', th: 'สำนักงานขนส่งจังหวัด', en: 'Provincial Land Transport Office' },
  { parent: 'OPS_MOJ', th: 'สำนักงานยุติธรรมจังหวัด', en: 'Provincial Justice Office' },
  { parent: 'CPD', th: 'สำนักงานสหกรณ์จังหวัด', en: 'Provincial Cooperative Office' },
  { parent: 'DLD', th: 'สำนักงานปศุสัตว์จังหวัด', en: 'Provincial Livestock Office' },
  { parent: 'DOF', th: 'สำนักงานประมงจังหวัด', en: 'Provincial Fisheries Office' },
  { parent: 'DOE', th: 'สำนักงานจัดหางานจังหวัด', en: 'Provincial Employment Office' },
];

const REGIONAL_NETWORKS = [
  {
    parent: 'DDC',
    th: 'สำนักงานป้องกันควบคุมโรคที่ {n} จังหวัด{provinceTh}',
    en: 'Office of Disease Prevention and Control Region {n} {provinceEn}',
    regions: [
      { n: 1, province: 'TH-50' }, { n: 2, province: 'TH-65' }, { n: 3, province: 'TH-60' },
      { n: 4, province: 'TH-19' }, { n: 5, province: 'TH-70' }, { n: 6, province: 'TH-20' },
      { n: 7, province: 'TH-40' }, { n: 8, province: 'TH-41' }, { n: 9, province: 'TH-30' },
      { n: 10, province: 'TH-34' }, { n: 11, province: 'TH-80' }, { n: 12, province: 'TH-90' },
    ],
  },
  {
    parent: 'DDPM',
    th: 'ศูนย์ป้องกันและบรรเทาสาธารณภัยเขต {n} {provinceTh}',
    en: 'Disaster Prevention and Mitigation Regional Center {n} {provinceEn}',
    regions: [
      { n: 1, province: 'TH-13' }, { n: 2, province: 'TH-72' }, { n: 3, province: 'TH-25' },
      { n: 4, province: 'TH-77' }, { n: 5, province: 'TH-30' }, { n: 6, province: 'TH-40' },
      { n: 7, province: 'TH-47' }, { n: 8, province: 'TH-62' }, { n: 9, province: 'TH-65' },
      { n: 10, province: 'TH-52' }, { n: 11, province: 'TH-84' }, { n: 12, province: 'TH-90' },
      { n: 13, province: 'TH-34' }, { n: 14, province: 'TH-41' }, { n: 15, province: 'TH-57' },
      { n: 16, province: 'TH-18' }, { n: 17, province: 'TH-22' }, { n: 18, province: 'TH-83' },
    ],
  },
];

// ---------------------------------------------------------------------------
// 3. Special local administrations (องค์กรปกครองส่วนท้องถิ่นรูปแบบพิเศษ).
// ---------------------------------------------------------------------------
const SPECIAL_LOCAL = [
  { code: 'LOC-BMA', th: 'กรุงเทพมหานคร', en: 'Bangkok Metropolitan Administration', province: 'TH-10' },
  { code: 'LOC-PTY', th: 'เมืองพัทยา', en: 'Pattaya City', province: 'TH-20' },
];

// ---------------------------------------------------------------------------
// Generation
// ---------------------------------------------------------------------------
const HEADER = ['code', 'name_th', 'name_en', 'kind', 'org_type', 'parent_code', 'ministry_code', 'province_code', 'status', 'effective_from'];
const ORG_TYPES = new Set([GOV, SOE, PUB, IND]);

function readJson(name) {
  return JSON.parse(readFileSync(join(referenceDir, name), 'utf8'));
}

const ministries = readJson('ministries.json');
const provinces = readJson('provinces.json');
if (ministries.length !== 20) throw new Error(`ministries.json: expected 20 entries, got ${ministries.length}`);
if (provinces.length !== 77) throw new Error(`provinces.json: expected 77 entries, got ${provinces.length}`);
const ministryCodes = new Set(ministries.map((m) => m.code));
const provinceByCode = new Map(provinces.map((p) => [p.code, p]));
if (ministryCodes.size !== 20) throw new Error('ministries.json: duplicate ministry code');
if (provinceByCode.size !== 77) throw new Error('provinces.json: duplicate province code');

const pad3 = (n) => String(n).padStart(3, '0');
const fill = (template, vars) => template.replace(/\{(\w+)\}/g, (_, k) => {
  if (!(k in vars)) throw new Error(`unknown placeholder {${k}} in "${template}"`);
  return String(vars[k]);
});

const rows = [];

// Departments
const depByKey = new Map();
DEPARTMENTS.forEach((d, i) => {
  const code = `DEP-${pad3(i + 1)}`;
  if (d.key) {
    if (depByKey.has(d.key)) throw new Error(`duplicate department key ${d.key}`);
    depByKey.set(d.key, { code, ...d });
  }
  rows.push({
    code, name_th: d.th, name_en: d.en, kind: 'department', org_type: d.type,
    parent_code: '', ministry_code: d.ministry, province_code: d.province,
  });
});

// Regional units
const provincesOutsideBangkok = provinces.filter((p) => p.code !== 'TH-10');
const regional = [];
function parentOf(key) {
  const dep = depByKey.get(key);
  if (!dep) throw new Error(`regional network refers to unknown department key ${key}`);
  return dep;
}
for (const net of PROVINCIAL_NETWORKS) {
  const dep = parentOf(net.parent);
  for (const p of provincesOutsideBangkok) {
    regional.push({
      code: `REG-${dep.code.slice(4)}-${p.code}`,
      name_th: `${net.th}${p.nameTh}`,
      name_en: `${p.nameEn} ${net.en}`,
      parent: dep, province_code: p.code,
    });
  }
}
for (const net of REGIONAL_NETWORKS) {
  const dep = parentOf(net.parent);
  for (const r of net.regions) {
    const p = provinceByCode.get(r.province);
    if (!p) throw new Error(`unknown province ${r.province} in regional network ${net.parent}`);
    const vars = { n: r.n, provinceTh: p.nameTh, provinceEn: p.nameEn };
    regional.push({
      code: `REG-${dep.code.slice(4)}-${p.code}`,
      name_th: fill(net.th, vars),
      name_en: fill(net.en, vars),
      parent: dep, province_code: p.code,
    });
  }
}
regional.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
for (const u of regional) {
  rows.push({
    code: u.code, name_th: u.name_th, name_en: u.name_en, kind: 'regional_unit', org_type: GOV,
    parent_code: u.parent.code, ministry_code: u.parent.ministry, province_code: u.province_code,
  });
}

// Special local administrations
for (const l of SPECIAL_LOCAL) {
  rows.push({
    code: l.code, name_th: l.th, name_en: l.en, kind: 'special_local', org_type: GOV,
    parent_code: '', ministry_code: '', province_code: l.province,
  });
}

// ---------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------
const counts = { department: 0, regional_unit: 0, special_local: 0 };
const seenCodes = new Set();
const seenNames = new Set();
const kindByCode = new Map(rows.map((r) => [r.code, r.kind]));
for (const r of rows) {
  counts[r.kind] += 1;
  if (seenCodes.has(r.code)) throw new Error(`duplicate code ${r.code}`);
  seenCodes.add(r.code);
  if (seenNames.has(r.name_th)) throw new Error(`duplicate Thai name ${r.name_th}`);
  seenNames.add(r.name_th);
  if (!r.name_th || !r.name_en) throw new Error(`${r.code}: missing name`);
  if (!ORG_TYPES.has(r.org_type)) throw new Error(`${r.code}: bad org_type ${r.org_type}`);
  if (r.ministry_code && !ministryCodes.has(r.ministry_code)) throw new Error(`${r.code}: unknown ministry ${r.ministry_code}`);
  if (r.province_code && !provinceByCode.has(r.province_code)) throw new Error(`${r.code}: unknown province ${r.province_code}`);
  if (r.parent_code && kindByCode.get(r.parent_code) !== 'department') throw new Error(`${r.code}: parent ${r.parent_code} is not a department`);
  if (r.kind === 'regional_unit' && (!r.parent_code || !r.province_code)) throw new Error(`${r.code}: regional unit needs parent and province`);
}
for (const kind of Object.keys(counts)) {
  if (counts[kind] !== EXPECTED[kind]) throw new Error(`expected ${EXPECTED[kind]} ${kind} rows, got ${counts[kind]}`);
}
if (rows.length !== EXPECTED.total) throw new Error(`expected ${EXPECTED.total} rows, got ${rows.length}`);

// ---------------------------------------------------------------------------
// CSV output (UTF-8 without BOM, LF, RFC 4180 quoting)
// ---------------------------------------------------------------------------
const csvField = (value) => {
  const s = String(value ?? '');
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};
const lines = [HEADER.join(',')];
for (const r of rows) {
  lines.push(HEADER.map((h) => csvField(
    h === 'status' ? STATUS : h === 'effective_from' ? EFFECTIVE_FROM : r[h],
  )).join(','));
}
writeFileSync(outFile, lines.join('\n') + '\n', 'utf8');

console.log(`wrote ${outFile}: ${rows.length} rows (department ${counts.department}, regional_unit ${counts.regional_unit}, special_local ${counts.special_local})`);
